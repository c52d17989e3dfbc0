import type { Selectable } from 'kysely';
import type { CustomerTable, VerificationStatus } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { reindexCustomer } from './search-index.ts';
import { sortName } from './search-row.ts';

/**
 * The editable profile of seed 000 (all optional: customers may be anonymous): the customers
 * table's own columns, so the two never drift apart.
 */
export type CustomerProfile = Pick<
  Selectable<CustomerTable>,
  'email' | 'first_name' | 'last_name' | 'phone' | 'postcode' | 'address' | 'city' | 'country' | 'gender'
>;

/** API field name → customers column, for the editable profile of seed 000. */
export const profileColumns = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
  postcode: 'postcode',
  address: 'address',
  city: 'city',
  country: 'country',
  gender: 'gender',
} as const satisfies Record<string, keyof CustomerProfile>;

export type ProfileField = keyof typeof profileColumns;

/** Customers column → API field name: how audit entries name a profile field. */
export const profileFieldOfColumn = Object.fromEntries(Object.entries(profileColumns).map(([field, column]) => [column, field])) as Record<
  keyof CustomerProfile,
  ProfileField
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
 * A new customer's row, every synced column given. search_rowid is left out: SQLite assigns it
 * (the integer primary key), and the server has no such column. A template: tag activation and
 * imports create customers one per row.
 */
const insertCustomerRow = queryTemplate(
  (
    id: string,
    email: string | null,
    firstName: string | null,
    lastName: string | null,
    phone: string | null,
    postcode: string | null,
    address: string | null,
    city: string | null,
    country: string | null,
    gender: string | null,
    verificationStatus: VerificationStatus,
    key: string,
    now: string,
    deletedAt: string | null,
    mergedInto: string | null,
  ) =>
    query.insertInto('customers').values({
      id,
      email,
      first_name: firstName,
      last_name: lastName,
      phone,
      postcode,
      address,
      city,
      country,
      gender,
      verification_status: verificationStatus,
      description: null,
      web_user_id: null,
      sort_name: key,
      created_at: now,
      updated_at: now,
      server_version: null,
      deleted_at: deletedAt,
      merged_into: mergedInto,
    }),
);

function customerRow(now: string, profile: Partial<CustomerProfile>, id: string, verificationStatus: VerificationStatus | undefined, mergedInto: string | null = null) {
  const full = { ...emptyProfile, ...profile };
  return insertCustomerRow.with(
    id,
    full.email,
    full.first_name,
    full.last_name,
    full.phone,
    full.postcode,
    full.address,
    full.city,
    full.country,
    full.gender,
    verificationStatus ?? 'non_verified',
    sortName(full),
    now,
    mergedInto === null ? null : now,
    mergedInto,
  );
}

export interface NewCustomerOptions {
  verificationStatus?: VerificationStatus;
}

/**
 * Creates a customer in a command body, and asks the terminal to index it for search. Not a
 * command by itself: callers are commands (account creation, ticket import, tag activation) that
 * decide why a customer may be created, and give it an id derived from their envelope.
 */
export function* createCustomer(
  tx: Pick<CommandTx, 'now' | 'run' | 'project'>,
  profile: Partial<CustomerProfile>,
  id: string,
  options: NewCustomerOptions = {},
) {
  yield* tx.run(customerRow(tx.now, profile, id, options.verificationStatus));
  yield* tx.project('customer-search', id);
  return id;
}

/**
 * A customer created and at once matched to an earlier one by e-mail (email-match.ts): its row is
 * a tombstone naming that customer, so the id the creating terminal handed out keeps leading to
 * them. Not searchable: search leaves deleted customers out.
 */
export function* createMergedCustomer(tx: Pick<CommandTx, 'now' | 'run'>, profile: Partial<CustomerProfile>, id: string, mergedInto: string) {
  yield* tx.run(customerRow(tx.now, profile, id, undefined, mergedInto));
}

/**
 * The same on this terminal's store, outside a command body: for test fixtures, and for the commands
 * not converted to bodies yet (tag activation), which call it from their `apply`.
 */
export function insertCustomer(store: Store, now: string, profile: Partial<CustomerProfile>, id: string, options: NewCustomerOptions = {}): string {
  store.run(customerRow(now, profile, id, options.verificationStatus));
  reindexCustomer(store, id);
  return id;
}
