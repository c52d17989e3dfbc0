import type { z } from 'zod';
import { defineCommand } from '../commands/command.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict } from '../errors.ts';
import { updateCustomerInput } from './customers.contract.ts';
import { describeCustomer, loadCustomer, type CustomerRow } from './existing-customer.ts';
import type { CustomerProfile } from './insert.ts';
import { sortName } from './search-row.ts';
import { rolesFrom } from '../operators/roles.ts';

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

const profileFields = Object.keys(profileColumns) as ProfileField[];

/** The fields the search index and sort key are built from. */
const searchedFields: ReadonlySet<ProfileField> = new Set(['email', 'firstName', 'lastName', 'phone']);

const mainEmailHolder = queryTemplate((email: string) =>
  query
    .selectFrom('customers')
    .select(['id', 'first_name', 'last_name', 'email'])
    .where('email', '=', email)
    .where('deleted_at', 'is', null),
);

/**
 * Refuses an e-mail that is already another (not deleted) customer's main e-mail: the store keeps
 * main e-mails unique, and the message tells staff whose it is.
 */
export function* assertEmailFree(tx: Pick<CommandTx, 'first'>, email: string, customerId: string | null) {
  const holder = yield* tx.first(mainEmailHolder.with(email));
  if (holder && holder.id !== customerId) {
    throw conflict(`Email ${email} is already the main email of ${describeCustomer(holder)}`, 'email');
  }
}

type UpdateCustomerInput = z.output<typeof updateCustomerInput>;

function* assertEmailChangeAllowed(tx: CommandTx, customer: CustomerRow, email: string | null) {
  // Seed 002: a verified customer's e-mail is the login of their verified app account.
  if (customer.verification_status === 'verified') {
    throw conflict(
      `The email of a verified customer cannot be changed (${customer.email ?? 'no email'} is verified)`,
      'email',
    );
  }
  if (email !== null) yield* assertEmailFree(tx, email, customer.id);
}

/**
 * Seed 000 "Edit a customer": only the fields given change; '' or null clears one. Fields given
 * with the value already stored are not changes (no audit entry, no reindex).
 */
export const updateCustomer = defineCommand({
  name: 'customers.update',
  version: 1,
  roles: rolesFrom('box_office'),
  input: updateCustomerInput,
  *body(tx, input: UpdateCustomerInput) {
    const customer = yield* loadCustomer(tx, input.customerId);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const changes: Partial<CustomerRow> = {};

    for (const field of profileFields) {
      const value = input[field];
      const column = profileColumns[field];
      if (value === undefined || value === customer[column]) continue;
      if (field === 'email') yield* assertEmailChangeAllowed(tx, customer, value);
      before[field] = customer[column];
      after[field] = value;
      changes[column] = value;
    }
    if (input.verificationStatus !== undefined && input.verificationStatus !== customer.verification_status) {
      before.verificationStatus = customer.verification_status;
      after.verificationStatus = input.verificationStatus;
      changes.verification_status = input.verificationStatus;
    }

    const changed = Object.keys(after);
    if (changed.length === 0) return { customerId: customer.id };
    const searched = changed.some((field) => searchedFields.has(field as ProfileField));
    // The sort key is a synced column: the body sets it, on every store.
    if (searched) changes.sort_name = sortName({ ...customer, ...changes });
    yield* tx.run(
      query
        .updateTable('customers')
        .set({ ...changes, updated_at: tx.now })
        .where('id', '=', customer.id),
    );
    if (searched) yield* tx.project('customer-search', customer.id);
    yield* tx.audit({ entity: 'customer', entityId: customer.id, before, after });
    return { customerId: customer.id };
  },
});
