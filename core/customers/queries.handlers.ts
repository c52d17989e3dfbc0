import type { HandlerMap } from '../api/handlers.ts';
import { listEvents } from '../events/list.ts';
import { ticketScanHistory } from '../tickets/scan-history.ts';
import { customerCard } from './card.ts';
import { listCustomers } from './list.ts';
import type { customerQueries } from './queries.contract.ts';
import { resolveCustomer } from './resolve.ts';
import { searchCustomers } from './search.ts';

/** Reads only: none of these writes a row (DESIGN.md section 5). */
export const customerQueryHandlers: HandlerMap<typeof customerQueries> = {
  'customers.search': (context, input) => ({ results: searchCustomers(context.store, input) }),
  'customers.list': (context, input) => listCustomers(context.store, input),
  'customers.card': (context, input) => customerCard(context.store, input),
  'tickets.scanHistory': (context, input) => ticketScanHistory(context.store, input.ticketId),
  'customers.resolve': (context, input) => resolveCustomer(context.store, input.key),
  'events.list': (context) => ({ events: listEvents(context.store) }),
};
