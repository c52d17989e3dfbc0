import type { Selectable } from 'kysely';
import type { TicketTable } from '../../db/schema.ts';
import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict, notFound } from '../errors.ts';
import { setTicketBannedInput, setTicketRedeemedInput } from './tickets.contract.ts';
import { rolesFrom } from '../operators/roles.ts';

/** The two toggles of a ticket on the customer card (seed 000 "Redeem a ticket", "Ban a ticket"). */

type TicketRow = Selectable<TicketTable>;

function* requireTicket(tx: CommandTx, ticketId: string) {
  const ticket = yield* tx.first(query.selectFrom('tickets').selectAll().where('id', '=', ticketId));
  if (!ticket) throw notFound('This ticket no longer exists on this terminal: reload the card', 'ticketId');
  return ticket;
}

function ticketState(ticket: Pick<TicketRow, 'id' | 'redeemed' | 'banned'>) {
  return { ticketId: ticket.id, redeemed: ticket.redeemed === 1, banned: ticket.banned === 1 };
}

function* setFlag(tx: CommandTx, ticket: TicketRow, flag: 'redeemed' | 'banned', on: boolean) {
  const value = on ? 1 : 0;
  if (ticket[flag] === value) return ticketState(ticket);
  yield* tx.run(query.updateTable('tickets').set({ [flag]: value, updated_at: tx.now }).where('id', '=', ticket.id));
  yield* tx.audit({ entity: 'ticket', entityId: ticket.id, before: { [flag]: !on }, after: { [flag]: on } });
  return ticketState({ ...ticket, [flag]: value });
}

/**
 * A redeemed ticket was exchanged (for a wristband) and no longer opens gates. A ticket the order's
 * history made invalid (canceled, refunded, transferred) was never exchanged, so it cannot be
 * marked redeemed; taking the mark off is always allowed.
 */
export const setTicketRedeemed = defineCommand({
  name: 'tickets.setRedeemed',
  version: 1,
  roles: rolesFrom('supervisor'),
  input: setTicketRedeemedInput,
  *body(tx, input) {
    const ticket = yield* requireTicket(tx, input.ticketId);
    if (input.redeemed && ticket.redeemed === 0 && ticket.status === 'invalid') {
      throw conflict(
        `Ticket ${ticket.reference} is invalid (${ticket.invalid_reason ?? 'invalid'}) and cannot be marked redeemed`,
        'redeemed',
      );
    }
    return yield* setFlag(tx, ticket, 'redeemed', input.redeemed);
  },
});

/** A banned ticket is refused at every gate until it is unbanned; any ticket may be banned. */
export const setTicketBanned = defineCommand({
  name: 'tickets.setBanned',
  version: 1,
  roles: rolesFrom('supervisor'),
  input: setTicketBannedInput,
  *body(tx, input) {
    return yield* setFlag(tx, yield* requireTicket(tx, input.ticketId), 'banned', input.banned);
  },
});
