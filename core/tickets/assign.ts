import { sql } from '../../db/store.ts';
import { defineCommand } from '../commands/command.ts';
import { describeCustomerById, requireCustomer } from '../customers/existing-customer.ts';
import { conflict, notFound } from '../errors.ts';
import { resolveEvent } from '../events/current.ts';
import { assignTicketsInput } from './commands.contract.ts';

/**
 * Seed 000 "Assign a ticket": one or many tickets, by reference, to one customer. All or nothing:
 * every reference is checked before any ticket moves, and a ticket another customer holds is never
 * taken from them (staff must sort that out on the holder's card).
 */
export const assignTickets = defineCommand({
  name: 'tickets.assign',
  version: 1,
  input: assignTicketsInput,
  apply(scope, input) {
    const customer = requireCustomer(scope.store, input.customerId);
    const event = resolveEvent(scope.store, input.eventId);
    const assigned: string[] = [];
    const unchanged: string[] = [];
    const seen = new Set<string>();

    input.references.forEach((reference, index) => {
      if (seen.has(reference)) return;
      seen.add(reference);
      const field = `references.${index}`;
      const ticket = scope.store.first(
        sql
          .selectFrom('tickets')
          .select(['id', 'customer_id'])
          .where('event_id', '=', event.id)
          .where('reference', '=', reference),
      );
      if (!ticket) throw notFound(`No ticket with reference ${reference} in ${event.name}`, field);
      if (ticket.customer_id === customer.id) {
        unchanged.push(ticket.id);
      } else if (ticket.customer_id !== null) {
        throw conflict(
          `Ticket ${reference} belongs to ${describeCustomerById(scope.store, ticket.customer_id)}; it was not moved`,
          field,
        );
      } else {
        assigned.push(ticket.id);
      }
    });

    for (const ticketId of assigned) {
      scope.store.run(
        sql.updateTable('tickets').set({ customer_id: customer.id, updated_at: scope.now }).where('id', '=', ticketId),
      );
      scope.audit({ entity: 'ticket', entityId: ticketId, before: { customerId: null }, after: { customerId: customer.id } });
    }
    return { assigned, unchanged };
  },
});
