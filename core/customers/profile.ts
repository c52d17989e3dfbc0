import type { z } from 'zod';
import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict } from '../errors.ts';
import { updateCustomerInput } from './customers.contract.ts';
import { assertEmailFree } from './email-match.ts';
import { loadCustomer, type CustomerRow } from './existing-customer.ts';
import { profileColumns, type ProfileField } from './insert.ts';
import { decideStampedEdit } from './last-writer-wins.ts';
import { reportOverwrittenFields } from './overwritten-fields.ts';
import { sortName } from './search-row.ts';
import { rolesFrom } from '../operators/roles.ts';

/** The fields the search index and sort key are built from. */
const searchedFields: ReadonlySet<ProfileField> = new Set(['email', 'firstName', 'lastName', 'phone']);

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

/** The fields an edit may change (API name → customers column): the profile and the verification status. */
const editedColumns = { ...profileColumns, verificationStatus: 'verification_status' } as const;

type EditedField = keyof typeof editedColumns;

const editedFields = Object.keys(editedColumns) as EditedField[];

/**
 * Seed 000 "Edit a customer": only the fields given change; '' or null clears one. Fields given
 * with the value already stored are not changes (no audit entry, no reindex).
 *
 * Last writer wins per field (DESIGN.md section 6): a field a later edit wrote (by HLC, from another
 * terminal) keeps that edit's value, the edit's other fields still apply, the receipt is
 * `applied_with_conflict` (`field_overwritten`) and the audit entry keeps what this edit tried
 * under `notApplied`, so both edits are in the card's history.
 */
export const updateCustomer = defineCommand({
  name: 'customers.update',
  version: 1,
  roles: rolesFrom('box_office'),
  input: updateCustomerInput,
  *body(tx, input: UpdateCustomerInput) {
    const customer = yield* loadCustomer(tx, input.customerId);
    const given = editedFields.filter((field) => input[field] !== undefined && input[field] !== customer[editedColumns[field]]);
    if (given.length === 0) return { customerId: customer.id };
    // Stamps are kept per column (last-writer-wins.ts); the audit and messages use the API's names.
    const edit = decideStampedEdit(customer.field_hlcs, tx.envelope.hlc, given.map((field) => editedColumns[field]));
    const applied = given.filter((field) => edit.applied.includes(editedColumns[field]));
    const overwritten = given.filter((field) => edit.overwritten.includes(editedColumns[field]));
    if (applied.includes('email')) yield* assertEmailChangeAllowed(tx, customer, input.email ?? null);

    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const changes: Partial<CustomerRow> = {};
    for (const field of applied) {
      const column = editedColumns[field];
      before[field] = customer[column];
      after[field] = input[field];
      Object.assign(changes, { [column]: input[field] });
    }
    if (overwritten.length > 0) after.notApplied = Object.fromEntries(overwritten.map((field) => [field, input[field]]));

    const searched = applied.some((field) => searchedFields.has(field as ProfileField));
    if (applied.length > 0) {
      // The sort key is a synced column: the body sets it, on every store.
      if (searched) changes.sort_name = sortName({ ...customer, ...changes });
      yield* tx.run(
        query
          .updateTable('customers')
          .set({ ...changes, field_hlcs: edit.fieldHlcs, updated_at: tx.now })
          .where('id', '=', customer.id),
      );
    }
    if (searched) yield* tx.project('customer-search', customer.id);
    yield* tx.audit({ entity: 'customer', entityId: customer.id, before, after });
    reportOverwrittenFields(tx, customer, overwritten);
    return { customerId: customer.id };
  },
});
