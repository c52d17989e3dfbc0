import { defineCommand } from '../commands/command.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import { DomainError } from '../errors.ts';
import { withResolvedEvent } from '../events/current.ts';
import { loadEvent } from '../events/existing-event.ts';
import { loadCustomer, loadCustomerName } from '../customers/existing-customer.ts';
import { assignTicketsInput } from './tickets.contract.ts';
import { ambiguousReferenceMessage, findTicketInEvent } from './reference.ts';
import { rolesFrom } from '../operators/roles.ts';

/** One reference that cannot be assigned, and why. */
interface Refusal {
  field: string;
  code: 'NOT_FOUND' | 'CONFLICT';
  reason: string;
}

// A template: one command assigns up to 200 tickets.
const assignTicket = queryTemplate((customerId: string, now: string, ticketId: string) =>
  query.updateTable('tickets').set({ customer_id: customerId, updated_at: now }).where('id', '=', ticketId),
);

/**
 * Seed 000 "Assign a ticket": one or many tickets, by reference, to one customer. All or nothing:
 * every reference is checked before any ticket moves, and a ticket another customer holds is never
 * taken from them (staff must sort that out on the holder's card). Every bad reference is reported
 * at once, so staff fix a pasted list in one go instead of one reference per attempt.
 */
export const assignTickets = defineCommand({
  name: 'tickets.assign',
  version: 1,
  roles: rolesFrom('box_office'),
  input: assignTicketsInput,
  resolve: withResolvedEvent,
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    const event = yield* loadEvent(tx, input.eventId);
    const assigned: string[] = [];
    const unchanged: string[] = [];
    const refusals: Refusal[] = [];
    const seen = new Set<string>();

    for (const [index, reference] of input.references.entries()) {
      const field = `references.${index}`;
      const match = yield* findTicketInEvent(tx, event.id, reference);
      if (match.kind === 'none') {
        refusals.push({ field, code: 'NOT_FOUND', reason: `Ticket ${reference}: no such ticket in ${event.name}` });
        continue;
      }
      if (match.kind === 'ambiguous') {
        refusals.push({ field, code: 'CONFLICT', reason: ambiguousReferenceMessage(reference, match.rows.map((row) => row.reference)) });
        continue;
      }
      const ticket = match.row;
      // The same ticket typed twice (or in two spellings) is assigned once.
      if (seen.has(ticket.id)) continue;
      seen.add(ticket.id);
      if (ticket.customer_id === customer.id) {
        unchanged.push(ticket.id);
      } else if (ticket.customer_id !== null) {
        const holder = yield* loadCustomerName(tx, ticket.customer_id);
        refusals.push({ field, code: 'CONFLICT', reason: `Ticket ${ticket.reference} belongs to ${holder}` });
      } else {
        assigned.push(ticket.id);
      }
    }

    if (refusals.length > 0) throw refusedAssignment(refusals);

    for (const ticketId of assigned) {
      yield* tx.run(assignTicket.with(customer.id, tx.now, ticketId));
      yield* tx.audit({ entity: 'ticket', entityId: ticketId, before: { customerId: null }, after: { customerId: customer.id } });
    }
    return { assigned, unchanged };
  },
});

/**
 * One error for every refused reference. It points at the first one (`field`, where the dialog puts
 * the message) and is a CONFLICT when any ticket is held by someone else, which staff must resolve
 * on the holder's card, else NOT_FOUND.
 */
function refusedAssignment(refusals: readonly Refusal[]): DomainError {
  const code = refusals.some((refusal) => refusal.code === 'CONFLICT') ? 'CONFLICT' : 'NOT_FOUND';
  const message =
    refusals.length === 1
      ? `${refusals[0]!.reason}; nothing was assigned`
      : `${refusals.length} tickets cannot be assigned, so none was: ${refusals.map((refusal) => refusal.reason).join('; ')}`;
  return new DomainError(code, message, refusals[0]!.field);
}
