import { activateForTicketInput, replaceTagInput } from './tags.contract.ts';
import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict, notFound } from '../errors.ts';
import { withResolvedEvent } from '../events/current.ts';
import { loadEvent } from '../events/existing-event.ts';
import { loadCustomerName } from '../customers/existing-customer.ts';
import { createCustomer } from '../customers/insert.ts';
import { findTicketInEvent, requireUnambiguous } from '../tickets/reference.ts';
import { activationSeen, makeWayForActivation, reportLostActivation, type ActivationClaim } from './activation.ts';
import { requireTag, type TagRow } from './existing-tag.ts';
import { rolesFrom } from '../operators/roles.ts';

/** A UID may be bound once per event; a banned one is named as banned, not just as taken. */
function* requireFreeUid(tx: CommandTx, eventId: string, uid: string, field: string) {
  const registered = yield* tx.first(
    query.selectFrom('tags').select(['id', 'customer_id', 'banned']).where('event_id', '=', eventId).where('uid', '=', uid),
  );
  if (!registered) return;
  if (registered.banned === 1) throw conflict(`Tag ${uid} is banned in this event: use another wristband`, field);
  throw conflict(`Tag ${uid} is already registered in this event to ${yield* loadCustomerName(tx, registered.customer_id)}`, field);
}

interface NewTag {
  eventId: string;
  uid: string;
  ticketTypeId: string;
  customerId: string;
  ticketId: string | null;
  /** The check-in state the wristband continues (the ticket's or the lost tag's). */
  presence: { entryCount: number; insideSince: string | null; insideGateId: string | null };
}

/**
 * Inserts the customer's new tag: active when its activation won (their active tags were
 * deactivated first), else inactive, 'replaced' by the later activation that won, and reported so.
 */
function* insertActivatedTag(tx: CommandTx, tag: NewTag, claim: ActivationClaim) {
  const id = tx.nextId();
  yield* tx.run(
    query.insertInto('tags').values({
      id,
      event_id: tag.eventId,
      uid: tag.uid,
      ticket_type_id: tag.ticketTypeId,
      customer_id: tag.customerId,
      ticket_id: tag.ticketId,
      active: claim.wins ? 1 : 0,
      banned: 0,
      inactive_reason: claim.wins ? null : 'replaced',
      activated_hlc: claim.wins ? tx.envelope.hlc : null,
      entry_count: tag.presence.entryCount,
      inside_since: tag.presence.insideSince,
      inside_gate_id: tag.presence.insideGateId,
      created_at: tx.now,
      updated_at: tx.now,
      server_version: null,
    }),
  );
  yield* tx.audit({
    entity: 'tag',
    entityId: id,
    after: { uid: tag.uid, customerId: tag.customerId, ticketTypeId: tag.ticketTypeId, ticketId: tag.ticketId, eventId: tag.eventId, active: claim.wins },
  });
  if (!claim.wins) yield* reportLostActivation(tx, tag.eventId, { id, uid: tag.uid }, claim.winner);
  return id;
}

/**
 * DESIGN.md section 7, tag activation at the box office: scan a valid ticket, tap a wristband, and
 * in one transaction the tag is bound to the ticket's customer (an anonymous one is created when
 * the ticket has none) with the ticket's type, made their active tag (the previous one becomes
 * inactive, 'replaced'; see activation.ts for two terminals doing it at once), and the ticket is redeemed. The wristband carries on the ticket's check-in
 * state (entries so far, inside or not), so max entries and "already inside" still hold.
 */
export const activateTagForTicket = defineCommand({
  name: 'tags.activateForTicket',
  version: 1,
  roles: rolesFrom('box_office'),
  input: activateForTicketInput.extend(activationSeen),
  resolve: withResolvedEvent,
  *body(tx, input) {
    const event = yield* loadEvent(tx, input.eventId);
    const match = yield* findTicketInEvent(tx, event.id, input.ticketReference);
    const ticket = requireUnambiguous(match, input.ticketReference, 'ticketReference');
    if (!ticket) throw notFound(`No ticket with reference ${input.ticketReference} in ${event.name}`, 'ticketReference');
    if (ticket.status === 'invalid') {
      throw conflict(`Ticket ${ticket.reference} is invalid (${ticket.invalid_reason ?? 'invalid'}): it cannot be exchanged for a wristband`, 'ticketReference');
    }
    if (ticket.banned === 1) throw conflict(`Ticket ${ticket.reference} is banned: it cannot be exchanged for a wristband`, 'ticketReference');
    if (ticket.redeemed === 1) {
      const wristband = yield* tx.first(
        // The newest wristband bound to the ticket; ids (UUIDv7) break a tie in time alike on every store.
        query.selectFrom('tags').select('uid').where('ticket_id', '=', ticket.id).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1),
      );
      throw conflict(
        `Ticket ${ticket.reference} is already redeemed${wristband ? ` (wristband ${wristband.uid})` : ''}: if that wristband is lost, replace it (Replace wristband on the customer card, or box-office tag replace)`,
        'ticketReference',
      );
    }
    yield* requireFreeUid(tx, event.id, input.uid, 'uid');

    let customerId = ticket.customer_id;
    const customerCreated = customerId === null;
    if (customerId === null) {
      customerId = yield* createCustomer(tx, {}, tx.nextId());
      yield* tx.audit({ entity: 'customer', entityId: customerId, after: { anonymous: true, createdFor: { ticketId: ticket.id } } });
    } else if (!(yield* tx.first(query.selectFrom('customers').select('id').where('id', '=', customerId).where('deleted_at', 'is', null)))) {
      throw conflict(
        `Ticket ${ticket.reference} belongs to ${yield* loadCustomerName(tx, customerId)}, whose card was deleted: assign the ticket to someone first`,
        'ticketReference',
      );
    }

    const claim = yield* makeWayForActivation(tx, input, { customerId, eventId: event.id, uid: input.uid, reason: 'replaced' });
    const tagId = yield* insertActivatedTag(tx, {
      eventId: event.id,
      uid: input.uid,
      ticketTypeId: ticket.ticket_type_id,
      customerId,
      ticketId: ticket.id,
      presence: { entryCount: ticket.entry_count, insideSince: ticket.inside_since, insideGateId: ticket.inside_gate_id },
    }, claim);

    // The wristband is now the credential: the ticket stops counting as inside.
    yield* tx.run(
      query
        .updateTable('tickets')
        .set({ customer_id: customerId, redeemed: 1, inside_since: null, inside_gate_id: null, updated_at: tx.now })
        .where('id', '=', ticket.id),
    );
    yield* tx.audit({
      entity: 'ticket',
      entityId: ticket.id,
      before: { customerId: ticket.customer_id, redeemed: false },
      after: { customerId, redeemed: true, tagId },
    });
    return { customerId, tagId, ticketId: ticket.id, replacedTagIds: claim.wins ? claim.replacedTagIds : [], customerCreated };
  },
});

/**
 * A lost wristband: the old tag becomes inactive ('replaced') and a new one, with the same customer,
 * ticket type and ticket, becomes the active tag, carrying on the old one's check-in state.
 */
export const replaceTag = defineCommand({
  name: 'tags.replace',
  version: 1,
  roles: rolesFrom('box_office'),
  input: replaceTagInput.safeExtend(activationSeen),
  resolve: withResolvedEvent,
  *body(tx, input) {
    let old: TagRow;
    if (input.oldTagId !== undefined) {
      old = yield* requireTag(tx, input.oldTagId);
    } else {
      const event = yield* loadEvent(tx, input.eventId);
      const found = yield* tx.first(query.selectFrom('tags').selectAll().where('event_id', '=', event.id).where('uid', '=', input.oldUid!));
      if (!found) throw notFound(`No tag with UID ${input.oldUid} in ${event.name}`, 'oldUid');
      old = found;
    }
    const oldField = input.oldTagId !== undefined ? 'oldTagId' : 'oldUid';
    if (old.banned === 1) throw conflict(`Tag ${old.uid} is banned: unban it before replacing it`, oldField);
    yield* requireFreeUid(tx, old.event_id, input.newUid, 'newUid');

    const claim = yield* makeWayForActivation(tx, input, { customerId: old.customer_id, eventId: old.event_id, uid: input.newUid, reason: 'replaced' });
    const replacedTagIds = claim.wins ? claim.replacedTagIds : [];
    if (old.active === 0 && old.inactive_reason !== 'replaced') {
      yield* tx.run(query.updateTable('tags').set({ inactive_reason: 'replaced', updated_at: tx.now }).where('id', '=', old.id));
      yield* tx.audit({ entity: 'tag', entityId: old.id, before: { active: false, inactiveReason: old.inactive_reason }, after: { active: false, inactiveReason: 'replaced' } });
    }
    if (!replacedTagIds.includes(old.id)) replacedTagIds.push(old.id);
    // The new wristband carries the check-in state on; the lost one no longer counts as inside.
    yield* tx.run(query.updateTable('tags').set({ inside_since: null, inside_gate_id: null }).where('id', '=', old.id));
    const tagId = yield* insertActivatedTag(tx, {
      eventId: old.event_id,
      uid: input.newUid,
      ticketTypeId: old.ticket_type_id,
      customerId: old.customer_id,
      ticketId: old.ticket_id,
      presence: { entryCount: old.entry_count, insideSince: old.inside_since, insideGateId: old.inside_gate_id },
    }, claim);
    return { customerId: old.customer_id, tagId, replacedTagIds };
  },
});
