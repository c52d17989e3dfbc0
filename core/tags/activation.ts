import { sql } from '../../db/store.ts';
import { defineCommand, type CommandScope } from '../commands/command.ts';
import { conflict } from '../errors.ts';
import { makeTagActiveInput } from './tags.contract.ts';
import { requireTag, tagState } from './existing-tag.ts';

/**
 * Seed 000: a customer has at most one active tag per event (the tags_one_active partial unique
 * index). Why a tag stopped being active: a newer tag was assigned as the active one ('replaced'),
 * or staff chose another tag with "Make active" ('deactivated').
 */
export type InactiveReason = 'replaced' | 'deactivated';

/**
 * Deactivates the customer's active tag(s) in the event, except `keepTagId`. It must run before the
 * new tag is activated, or the unique index would refuse the second active tag.
 */
export function deactivateActiveTags(
  scope: CommandScope,
  customerId: string,
  eventId: string,
  reason: InactiveReason,
  keepTagId?: string,
): void {
  const active = scope.store.all(
    sql
      .selectFrom('tags')
      .select(['id', 'inactive_reason'])
      .where('customer_id', '=', customerId)
      .where('event_id', '=', eventId)
      .where('active', '=', 1),
  );
  for (const tag of active) {
    if (tag.id === keepTagId) continue;
    scope.store.run(
      sql.updateTable('tags').set({ active: 0, inactive_reason: reason, updated_at: scope.now }).where('id', '=', tag.id),
    );
    scope.audit({
      entity: 'tag',
      entityId: tag.id,
      before: { active: true, inactiveReason: tag.inactive_reason },
      after: { active: false, inactiveReason: reason },
    });
  }
}

/** Seed 000 "Make a customer tag active": marking a tag active disables the customer's other tags. */
export const makeTagActive = defineCommand({
  name: 'tags.makeActive',
  version: 1,
  input: makeTagActiveInput,
  apply(scope, input) {
    const tag = requireTag(scope.store, input.tagId);
    if (tag.active === 1) return tagState(tag);
    if (tag.banned === 1) {
      throw conflict(`Tag ${tag.uid} is banned: unban it before making it active`, 'tagId');
    }
    deactivateActiveTags(scope, tag.customer_id, tag.event_id, 'deactivated', tag.id);
    scope.store.run(
      sql.updateTable('tags').set({ active: 1, inactive_reason: null, updated_at: scope.now }).where('id', '=', tag.id),
    );
    scope.audit({
      entity: 'tag',
      entityId: tag.id,
      before: { active: false, inactiveReason: tag.inactive_reason },
      after: { active: true, inactiveReason: null },
    });
    return tagState({ ...tag, active: 1 });
  },
});
