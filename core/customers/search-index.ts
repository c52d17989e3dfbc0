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

// The projection's refresher runs on the terminal only: one statement reads what the FTS row and the
// sort key follow from (the alternative e-mails in code-point order, as the template did).
const searchedFacts = `SELECT search_rowid, first_name, last_name, email, phone, sort_name,
    (SELECT group_concat(email, ' ' ORDER BY email) FROM customer_emails WHERE customer_id = customers.id AND deleted_at IS NULL) AS alternatives
  FROM customers WHERE id = ?`;

// The same facts for a run of customers in row-key order, for building the index in bulk.
const searchedFactsAfter = `SELECT search_rowid, first_name, last_name, email, phone,
    (SELECT group_concat(email, ' ' ORDER BY email) FROM customer_emails WHERE customer_id = customers.id AND deleted_at IS NULL) AS alternatives
  FROM customers WHERE search_rowid > ? ORDER BY search_rowid LIMIT ?`;

/**
 * Writes the search rows of the next `count` customers after row key `after` (a first load fills
 * customers first and builds their index after, in runs: sync/terminal/first-load.ts). Returns the
 * last row key written and how many, or null when no customer is left.
 */
export function indexCustomersAfter(store: Store, after: number, count: number): { last: number; indexed: number } | null {
  const customers = store.statement(searchedFactsAfter).all(after, count) as (SearchedFacts & { search_rowid: number })[];
  if (customers.length === 0) return null;
  const insert = store.statement('INSERT OR REPLACE INTO customer_search (rowid, name, emails, phone) VALUES (?, ?, ?, ?)');
  for (const customer of customers) {
    const row = customerSearchRow(customer, customer.alternatives === null ? [] : [customer.alternatives]);
    insert.run(customer.search_rowid, row.name, row.emails, row.phone);
  }
  return { last: customers.at(-1)!.search_rowid, indexed: customers.length };
}

interface SearchedFacts {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  alternatives: string | null;
}

const setSortName = queryTemplate((customerId: string, key: string) => query.updateTable('customers').set({ sort_name: key }).where('id', '=', customerId));

/**
 * Rewrites one customer's search row from the stored profile and alternative e-mails (INSERT OR
 * REPLACE: a new customer has none yet), and their sort key where it is stale.
 */
export function reindexCustomer(store: Store, customerId: string): void {
  const customer = store.statement(searchedFacts).get(customerId) as
    | { search_rowid: number; first_name: string | null; last_name: string | null; email: string | null; phone: string | null; sort_name: string; alternatives: string | null }
    | undefined;
  if (!customer) return;
  const row = customerSearchRow(customer, customer.alternatives === null ? [] : [customer.alternatives]);
  store.statement('INSERT OR REPLACE INTO customer_search (rowid, name, emails, phone) VALUES (?, ?, ?, ?)').run(customer.search_rowid, row.name, row.emails, row.phone);
  const key = sortName(customer);
  if (customer.sort_name !== key) store.run(setSortName.with(customerId, key));
}
