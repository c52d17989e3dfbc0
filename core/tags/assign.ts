import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { conflict, notFound } from '../errors.ts';
import { loadCustomer, loadCustomerName } from '../customers/existing-customer.ts';
import { activationSeen, makeWayForActivation, reportLostActivation } from './activation.ts';
import { assignTagInput } from './tags.contract.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Seed 000 "Assign a tag": registers a wristband's UID for a customer with a ticket type. The tag
 * belongs to the ticket type's event; a UID is registered once per event. The new tag becomes the
 * customer's active tag when they have none in that event, or when staff ask for it (the previous
 * active tag is then 'replaced'); otherwise it waits, inactive, for "Make active". An activation
 * that loses to a later one made on another terminal at the same time waits too, 'replaced'
 * (activation.ts).
 */
export const assignTag = defineCommand({
  name: 'tags.assign',
  version: 1,
  roles: rolesFrom('box_office'),
  input: assignTagInput.extend(activationSeen),
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    const ticketType = yield* tx.first(
      query
        .selectFrom('ticket_types')
        .select(['id', 'event_id', 'name'])
        .where('id', '=', input.ticketTypeId)
        .where('deleted_at', 'is', null),
    );
    if (!ticketType) throw notFound('This ticket type no longer exists on this terminal: choose another', 'ticketTypeId');

    const registered = yield* tx.first(
      query.selectFrom('tags').select(['id', 'customer_id']).where('event_id', '=', ticketType.event_id).where('uid', '=', input.uid),
    );
    if (registered) {
      throw conflict(`Tag ${input.uid} is already registered in this event to ${yield* loadCustomerName(tx, registered.customer_id)}`, 'uid');
    }

    const hasActiveTag =
      (yield* tx.first(
        query
          .selectFrom('tags')
          .select('id')
          .where('customer_id', '=', customer.id)
          .where('event_id', '=', ticketType.event_id)
          .where('active', '=', 1),
      )) !== undefined;
    // An envelope that carries what its terminal saw activated the tag there: another terminal's
    // activation at the same time is settled by HLC, not by "they have an active tag now".
    const activating = input.activeTagIdsSeen !== undefined || !hasActiveTag || input.makeActive === true;
    const claim = activating
      ? yield* makeWayForActivation(tx, input, { customerId: customer.id, eventId: ticketType.event_id, uid: input.uid, reason: 'replaced' })
      : undefined;
    const active = claim?.wins === true;

    const tagId = tx.nextId();
    yield* tx.run(
      query.insertInto('tags').values({
        id: tagId,
        event_id: ticketType.event_id,
        uid: input.uid,
        ticket_type_id: ticketType.id,
        customer_id: customer.id,
        ticket_id: null,
        active: active ? 1 : 0,
        banned: 0,
        inactive_reason: claim?.wins === false ? 'replaced' : null,
        activated_hlc: active ? tx.envelope.hlc : null,
        created_at: tx.now,
        updated_at: tx.now,
        server_version: null,
      }),
    );
    yield* tx.audit({
      entity: 'tag',
      entityId: tagId,
      after: { uid: input.uid, customerId: customer.id, ticketTypeId: ticketType.id, eventId: ticketType.event_id, active },
    });
    if (claim?.wins === false) yield* reportLostActivation(tx, ticketType.event_id, { id: tagId, uid: input.uid }, claim.winner);
    return { tagId, active };
  },
});
