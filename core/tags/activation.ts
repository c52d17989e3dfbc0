import { z } from 'zod';
import { raiseConflict } from '../alerts/raise.ts';
import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict } from '../errors.ts';
import { idSchema } from '../fields.ts';
import { rolesFrom } from '../operators/roles.ts';
import { makeTagActiveInput } from './tags.contract.ts';
import { requireTag, tagState } from './existing-tag.ts';

/**
 * Seed 000: a customer has at most one active tag per event (the tags_one_active partial unique
 * index). Why a tag stopped being active: a newer tag was assigned as the active one ('replaced'),
 * or staff chose another tag with "Make active" ('deactivated').
 */
export type InactiveReason = 'replaced' | 'deactivated';

/**
 * What an activation's terminal saw when it decided: the customer's active tags in the event then.
 * Settled into the args on the terminal's first run (like a scan's verdict), so a store that runs
 * the envelope later (the server, a rebase, a journal replay) tells an active tag the terminal
 * replaced on purpose from one another terminal activated at the same time, unseen.
 */
export const activationSeen = { activeTagIdsSeen: z.array(idSchema).optional() };

/** An active tag as the rule compares it: the HLC of its activation, null when it predates them (migration 0012). */
export interface ActiveTag {
  id: string;
  uid: string;
  activatedHlc: string | null;
}

/**
 * DESIGN.md section 6, two terminals activate different tags for one customer: the latest
 * activation by HLC wins. An activation stamped `hlc` wins against the active tags it did not see
 * when each was activated earlier (or before HLCs were kept). HLC texts sort as the stamps do
 * (core/terminal/hlc.ts) and end with the device id, so two activations never tie.
 */
export function activationWins(hlc: string, unseen: readonly Pick<ActiveTag, 'activatedHlc'>[]): boolean {
  return unseen.every((tag) => tag.activatedHlc === null || tag.activatedHlc < hlc);
}

/** What staff read about two activations for one customer at once. */
export function concurrentActivationMessage(laterUid: string, earlierUid: string): string {
  return `Wristbands ${earlierUid} and ${laterUid} were activated for one customer on two terminals at once: ${laterUid}, activated later, is the active one and ${earlierUid} is replaced`;
}

export type ActivationClaim =
  /** The new activation stands; the tags it deactivated. */
  | { wins: true; replacedTagIds: string[] }
  /** A later activation the terminal did not see stands: the new tag stays inactive, 'replaced'. */
  | { wins: false; winner: ActiveTag };

/**
 * Makes way for a tag (`uid`, or the existing `keepTagId`) to become the customer's active tag in
 * the event, by the rule above: the active tags the terminal saw are deactivated with `reason`; an
 * active tag it did not see (another terminal's activation at the same time) is deactivated,
 * 'replaced', if it was activated earlier, and otherwise wins. Either way the conflict is reported
 * and an alert raised: by the command that displaced the earlier activation, or by the one that
 * lost (raised by the caller with `reportLostActivation`, once it knows the new tag's id), so one
 * alert is raised whatever order the server receives the two in. It must run before the tag is
 * activated, or the unique index would refuse a second active tag.
 */
export function* makeWayForActivation(
  tx: CommandTx,
  input: { activeTagIdsSeen?: string[] | undefined },
  target: { customerId: string; eventId: string; uid: string; reason: InactiveReason; keepTagId?: string },
) {
  const active = yield* tx.all(
    query
      .selectFrom('tags')
      .select(['id', 'uid', 'inactive_reason', 'activated_hlc'])
      .where('customer_id', '=', target.customerId)
      .where('event_id', '=', target.eventId)
      .where('active', '=', 1)
      .orderBy('id'),
  );
  const others = active.filter((tag) => tag.id !== target.keepTagId);
  let seen = input.activeTagIdsSeen;
  if (seen === undefined) {
    seen = others.map((tag) => tag.id);
    tx.settle({ activeTagIdsSeen: seen });
  }
  const unseen = others.filter((tag) => !seen.includes(tag.id)).map((tag) => ({ id: tag.id, uid: tag.uid, activatedHlc: tag.activated_hlc }));
  if (!activationWins(tx.envelope.hlc, unseen)) {
    const claim: ActivationClaim = { wins: false, winner: unseen.find((tag) => !activationWins(tx.envelope.hlc, [tag]))! };
    return claim;
  }
  const replacedTagIds: string[] = [];
  for (const tag of others) {
    const concurrent = !seen.includes(tag.id);
    const reason = concurrent ? 'replaced' : target.reason;
    yield* tx.run(query.updateTable('tags').set({ active: 0, inactive_reason: reason, updated_at: tx.now }).where('id', '=', tag.id));
    yield* tx.audit({
      entity: 'tag',
      entityId: tag.id,
      before: { active: true, inactiveReason: tag.inactive_reason },
      after: { active: false, inactiveReason: reason },
    });
    if (concurrent) {
      yield* raiseConflict(tx, target.eventId, { kind: 'tag_replaced', message: concurrentActivationMessage(target.uid, tag.uid), entity: 'tag', entityId: tag.id });
    }
    replacedTagIds.push(tag.id);
  }
  const claim: ActivationClaim = { wins: true, replacedTagIds };
  return claim;
}

/** The conflict of an activation that lost to a later one (`makeWayForActivation` said so): its tag stays inactive, 'replaced'. */
export function* reportLostActivation(tx: CommandTx, eventId: string, lost: { id: string; uid: string }, winner: ActiveTag) {
  yield* raiseConflict(tx, eventId, { kind: 'tag_replaced', message: concurrentActivationMessage(winner.uid, lost.uid), entity: 'tag', entityId: lost.id });
}

/** Seed 000 "Make a customer tag active": marking a tag active disables the customer's other tags. */
export const makeTagActive = defineCommand({
  name: 'tags.makeActive',
  version: 1,
  roles: rolesFrom('box_office'),
  input: makeTagActiveInput.extend(activationSeen),
  *body(tx, input) {
    const tag = yield* requireTag(tx, input.tagId);
    if (tag.active === 1) return tagState(tag);
    if (tag.banned === 1) {
      throw conflict(`Tag ${tag.uid} is banned: unban it before making it active`, 'tagId');
    }
    const claim = yield* makeWayForActivation(tx, input, { customerId: tag.customer_id, eventId: tag.event_id, uid: tag.uid, reason: 'deactivated', keepTagId: tag.id });
    if (!claim.wins) {
      yield* tx.run(query.updateTable('tags').set({ inactive_reason: 'replaced', updated_at: tx.now }).where('id', '=', tag.id));
      yield* tx.audit({ entity: 'tag', entityId: tag.id, before: { active: false, inactiveReason: tag.inactive_reason }, after: { active: false, inactiveReason: 'replaced' } });
      yield* reportLostActivation(tx, tag.event_id, tag, claim.winner);
      return tagState(tag);
    }
    yield* tx.run(
      query.updateTable('tags').set({ active: 1, inactive_reason: null, activated_hlc: tx.envelope.hlc, updated_at: tx.now }).where('id', '=', tag.id),
    );
    yield* tx.audit({
      entity: 'tag',
      entityId: tag.id,
      before: { active: false, inactiveReason: tag.inactive_reason },
      after: { active: true, inactiveReason: null },
    });
    return tagState({ ...tag, active: 1 });
  },
});
