import type { HandlerMap } from '../api/handlers.ts';
import { runCommand } from '../commands/command.ts';
import { assignTickets } from './assign.ts';
import type { ticketOperations } from './tickets.contract.ts';
import { setTicketBanned, setTicketRedeemed } from './flags.ts';
import { ticketScanHistory } from './scan-history.ts';

export const ticketHandlers: HandlerMap<typeof ticketOperations> = {
  'tickets.assign': (context, input) => runCommand(context, assignTickets, input),
  'tickets.setRedeemed': (context, input) => runCommand(context, setTicketRedeemed, input),
  'tickets.setBanned': (context, input) => runCommand(context, setTicketBanned, input),
  'tickets.scanHistory': (context, input) => ticketScanHistory(context.store, input.ticketId),
};
