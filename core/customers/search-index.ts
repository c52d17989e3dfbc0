import type { Store } from '../../db/store.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import { customerSearchRow, sortName, type CustomerSearchRow } from './search-row.ts';

/**
 * The terminal's customer search index (customer_search, FTS5): a projection of the customers'
 * names, e-mails and phone, which only the terminal has. A command body that writes those fields
 * sets customers.sort_name itself and yields `tx.project('customer-search', customerId)`; the
 * terminal's driver then runs `reindexCustomer` in the same transaction (core/commands/projections.ts),
 * the server does nothing. Bulk writers (import, seed) call `customerSearchRow` and insert rows themselves.
 */

export {
  anonymousSortName,
  customerSearchRow,
  phoneDigits,
  sortName,
  type CustomerSearchRow,
  type SearchableCustomer,
} from './search-row.ts';

/** Next free FTS rowid for a new customer. */
export function nextSearchRowid(store: Store): number {
  const row = store.first(query.selectFrom('customers').select((eb) => eb.fn.max('search_rowid').as('max')));
  return Number(row?.max ?? 0) + 1;
}

export function insertSearchRow(store: Store, rowid: number, row: CustomerSearchRow): void {
  store.statement('INSERT INTO customer_search (rowid, name, emails, phone) VALUES (?, ?, ?, ?)').run(
    rowid,
    row.name,
    row.emails,
    row.phone,
  );
}

const searchedColumns = queryTemplate((customerId: string) =>
  query.selectFrom('customers').select(['search_rowid', 'first_name', 'last_name', 'email', 'phone']).where('id', '=', customerId),
);

const liveAlternativeEmails = queryTemplate((customerId: string) =>
  query.selectFrom('customer_emails').select('email').where('customer_id', '=', customerId).where('deleted_at', 'is', null).orderBy('email'),
);

const setSortName = queryTemplate((customerId: string, key: string) =>
  query.updateTable('customers').set({ sort_name: key }).where('id', '=', customerId).where('sort_name', '!=', key),
);

/**
 * Rewrites one customer's search row from the stored profile and alternative e-mails, and their sort
 * key where it is stale (a body has set it already; an import's update or a fixture's raw edit may not have).
 */
export function reindexCustomer(store: Store, customerId: string): void {
  const customer = store.first(searchedColumns.with(customerId));
  if (!customer) return;
  const alternatives = store.all(liveAlternativeEmails.with(customerId)).map((row) => row.email);
  store.statement('DELETE FROM customer_search WHERE rowid = ?').run(customer.search_rowid);
  insertSearchRow(store, customer.search_rowid, customerSearchRow(customer, alternatives));
  store.run(setSortName.with(customerId, sortName(customer)));
}
