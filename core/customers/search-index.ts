import { sql, type Store } from '../../db/store.ts';

/**
 * Keeps customer_search (FTS5) and the customers.sort_name key in step with a customer's names,
 * e-mails and phone. Every command that writes those fields calls `reindexCustomer` in its
 * transaction; bulk writers (import, seed) call `customerSearchRow` and insert rows themselves.
 */

export interface SearchableCustomer {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
}

export interface CustomerSearchRow {
  name: string;
  emails: string;
  phone: string;
}

/** Only the digits of a phone number are indexed, so `+31 6-1234` and `3161234` match alike. */
export function phoneDigits(phone: string | null): string {
  return (phone ?? '').replace(/\D/g, '');
}

export function customerSearchRow(customer: SearchableCustomer, alternativeEmails: readonly string[] = []): CustomerSearchRow {
  return {
    name: [customer.first_name, customer.last_name].filter(Boolean).join(' '),
    emails: [customer.email, ...alternativeEmails].filter(Boolean).join(' '),
    phone: phoneDigits(customer.phone),
  };
}

/** Sorts after any name or address (BINARY collation): anonymous customers end the list. */
export const anonymousSortName = '\uffff';

/**
 * Sort key for the customers list: last name, then first name, case- and accent-folded; a
 * customer known only by e-mail sorts by the address, an anonymous one after everybody else.
 */
export function sortName(customer: Pick<SearchableCustomer, 'first_name' | 'last_name' | 'email'>): string {
  const names = [customer.last_name, customer.first_name].filter(Boolean).join(' ') || customer.email || '';
  if (names === '') return anonymousSortName;
  return names.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Next free FTS rowid for a new customer. */
export function nextSearchRowid(store: Store): number {
  const row = store.first(sql.selectFrom('customers').select((eb) => eb.fn.max('search_rowid').as('max')));
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

/** Rewrites one customer's search row and sort key from the stored profile and alternative e-mails. */
export function reindexCustomer(store: Store, customerId: string): void {
  const customer = store.first(
    sql
      .selectFrom('customers')
      .select(['search_rowid', 'first_name', 'last_name', 'email', 'phone'])
      .where('id', '=', customerId),
  );
  if (!customer) return;
  const alternatives = store
    .all(sql.selectFrom('customer_emails').select('email').where('customer_id', '=', customerId).where('deleted_at', 'is', null).orderBy('email'))
    .map((row) => row.email);
  store.statement('DELETE FROM customer_search WHERE rowid = ?').run(customer.search_rowid);
  insertSearchRow(store, customer.search_rowid, customerSearchRow(customer, alternatives));
  store.run(sql.updateTable('customers').set({ sort_name: sortName(customer) }).where('id', '=', customerId));
}
