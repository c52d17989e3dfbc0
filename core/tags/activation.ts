import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict } from '../errors.ts';
import { makeTagActiveInput } from './tags.contract.ts';
import { requireTag, tagState } from './existing-tag.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Seed 000: a customer has at most one active tag per event (the tags_one_active partial unique
 * index). Why a tag stopped being active: a newer tag was assigned as the active one ('replaced'),
 * or staff chose another tag with "Make active" ('deactivated').
 *
 * DESIGN.md section 6, two terminals activating different tags for one customer: each activation
 * deactivates whatever tag is active when it runs, so the one applied last is the active tag and the
 * other ends inactive, 'replaced'. The server applies them in the order it receives them, the
 * terminal's rebase re-runs its pending one on top, and both stores end the same.
 */
export type InactiveReason = 'replaced' | 'deactivated';

/**
 * Deactivates the customer's active tag(s) in the event, except `keepTagId`, and returns the ids it
 * deactivated. It must run before the new tag is activated, or the unique index would refuse the
 * second active tag.
 */
export function* deactivateActiveTags(
  tx: Pick<CommandTx, 'now' | 'all' | 'run' | 'audit'>,
  customerId: string,
  eventId: string,
  reason: InactiveReason,
  keepTagId?: string,
) {
  const active = yield* tx.all(
    query
      .selectFrom('tags')
      .select(['id', 'inactive_reason'])
      .where('customer_id', '=', customerId)
      .where('event_id', '=', eventId)
      .where('active', '=', 1)
      .orderBy('id'),
  );
  const deactivated: string[] = [];
  for (const tag of active) {
    if (tag.id === keepTagId) continue;
    yield* tx.run(query.updateTable('tags').set({ active: 0, inactive_reason: reason, updated_at: tx.now }).where('id', '=', tag.id));
    yield* tx.audit({
      entity: 'tag',
      entityId: tag.id,
      before: { active: true, inactiveReason: tag.inactive_reason },
      after: { active: false, inactiveReason: reason },
    });
    deactivated.push(tag.id);
  }
  return deactivated;
}

/** Seed 000 "Make a customer tag active": marking a tag active disables the customer's other tags. */
export const makeTagActive = defineCommand({
  name: 'tags.makeActive',
  version: 1,
  roles: rolesFrom('box_office'),
  input: makeTagActiveInput,
  *body(tx, input) {
    const tag = yield* requireTag(tx, input.tagId);
    if (tag.active === 1) return tagState(tag);
    if (tag.banned === 1) {
      throw conflict(`Tag ${tag.uid} is banned: unban it before making it active`, 'tagId');
    }
    yield* deactivateActiveTags(tx, tag.customer_id, tag.event_id, 'deactivated', tag.id);
    yield* tx.run(query.updateTable('tags').set({ active: 1, inactive_reason: null, updated_at: tx.now }).where('id', '=', tag.id));
    yield* tx.audit({
      entity: 'tag',
      entityId: tag.id,
      before: { active: false, inactiveReason: tag.inactive_reason },
      after: { active: true, inactiveReason: null },
    });
    return tagState({ ...tag, active: 1 });
  },
});
