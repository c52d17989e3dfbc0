import { sql, type Store } from '../../db/store.ts';
import type { Selectable } from 'kysely';
import type { CustomerTable, VerificationStatus } from '../../db/schema.ts';
import { customerSearchRow, insertSearchRow, nextSearchRowid, sortName } from './search-index.ts';

/**
 * The editable profile of seed 000 (all optional: customers may be anonymous): the customers
 * table's own columns, so the two never drift apart.
 */
export type CustomerProfile = Pick<
  Selectable<CustomerTable>,
  'email' | 'first_name' | 'last_name' | 'phone' | 'postcode' | 'address' | 'city' | 'country' | 'gender'
>;

export const emptyProfile: CustomerProfile = {
  email: null,
  first_name: null,
  last_name: null,
  phone: null,
  postcode: null,
  address: null,
  city: null,
  country: null,
  gender: null,
};

/**
 * Inserts a customer row and its search row. Not a command by itself: callers are commands
 * (account creation, ticket import, tag activation) that decide why a customer may be created, and
 * give it an id derived from their envelope.
 */
export function insertCustomer(
  store: Store,
  now: string,
  profile: Partial<CustomerProfile>,
  id: string,
  options: { verificationStatus?: VerificationStatus } = {},
): string {
  const full = { ...emptyProfile, ...profile };
  const searchRowid = nextSearchRowid(store);
  store.run(
    sql.insertInto('customers').values({
      id,
      search_rowid: searchRowid,
      ...full,
      verification_status: options.verificationStatus ?? 'non_verified',
      description: null,
      web_user_id: null,
      sort_name: sortName(full),
      created_at: now,
      updated_at: now,
      server_version: null,
      deleted_at: null,
    }),
  );
  insertSearchRow(store, searchRowid, customerSearchRow(full));
  return id;
}
