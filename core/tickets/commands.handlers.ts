import type { HandlerMap } from '../api/handlers.ts';
import { runCommand } from '../commands/command.ts';
import { assignTickets } from './assign.ts';
import type { ticketCommands } from './commands.contract.ts';
import { setTicketBanned, setTicketRedeemed } from './flags.ts';

export const ticketCommandHandlers: HandlerMap<typeof ticketCommands> = {
  'tickets.assign': (context, input) => runCommand(context, assignTickets, input),
  'tickets.setRedeemed': (context, input) => runCommand(context, setTicketRedeemed, input),
  'tickets.setBanned': (context, input) => runCommand(context, setTicketBanned, input),
};
