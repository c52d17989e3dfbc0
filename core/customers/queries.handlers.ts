import type { HandlerMap } from '../api/handlers.ts';
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
  'customers.resolve': (context, input) => resolveCustomer(context.store, input.key),
};
