import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { conflict, notFound } from '../errors.ts';
import { loadCustomer, loadCustomerName } from '../customers/existing-customer.ts';
import { deactivateActiveTags } from './activation.ts';
import { assignTagInput } from './tags.contract.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Seed 000 "Assign a tag": registers a wristband's UID for a customer with a ticket type. The tag
 * belongs to the ticket type's event; a UID is registered once per event. The new tag becomes the
 * customer's active tag when they have none in that event, or when staff ask for it (the previous
 * active tag is then 'replaced'); otherwise it waits, inactive, for "Make active".
 */
export const assignTag = defineCommand({
  name: 'tags.assign',
  version: 1,
  roles: rolesFrom('box_office'),
  input: assignTagInput,
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
    const active = !hasActiveTag || input.makeActive === true;
    if (active) yield* deactivateActiveTags(tx, customer.id, ticketType.event_id, 'replaced');

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
        inactive_reason: null,
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
    return { tagId, active };
  },
});
