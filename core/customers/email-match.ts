import { query, queryTemplate } from '../commands/query-builder.ts';
import type { Reads } from '../commands/reads.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict } from '../errors.ts';
import { describeCustomer, loadCustomer, type CustomerRow } from './existing-customer.ts';
import { createMergedCustomer, profileFieldOfColumn, type CustomerProfile } from './insert.ts';
import { decideStampedEdit } from './last-writer-wins.ts';
import { sortName } from './search-row.ts';

/**
 * E-mails are a customer's natural key (DESIGN.md section 6: "a second customer with an existing
 * e-mail is matched to the first"). One (live) customer holds an address, as main or alternative
 * e-mail: editing a customer never takes another's address, and a customer created with an address
 * the store already knows is that customer.
 *
 * Matching happens where the terminal could not know: two terminals offline each create "anna@…".
 * The second to reach the server finds the first there; its customer row is then written as a
 * tombstone naming the first (`merged_into`), so the id its terminal handed out (in later commands,
 * on screens) leads to the first customer: `loadCustomer` follows it, on the server and on the
 * terminal once it pulled. Bodies decide it alike everywhere, so a rebase on the terminal predicts it.
 */

type NamedCustomer = Pick<CustomerRow, 'id' | 'first_name' | 'last_name' | 'email'>;

export interface EmailHolder {
  customer: NamedCustomer;
  /** Whether the address is the customer's main e-mail or one of its alternative ones. */
  as: 'main' | 'alternative';
}

const mainEmailHolder = queryTemplate((email: string) =>
  query.selectFrom('customers').select(['id', 'first_name', 'last_name', 'email']).where('email', '=', email).where('deleted_at', 'is', null),
);

// By customer id: should two customers hold one alternative address (written before this rule),
// every store names the same one.
const alternativeEmailHolder = queryTemplate((email: string, exceptCustomerId: string) =>
  query
    .selectFrom('customer_emails')
    .innerJoin('customers', 'customers.id', 'customer_emails.customer_id')
    .select(['customers.id', 'customers.first_name', 'customers.last_name', 'customers.email'])
    .where('customer_emails.email', '=', email)
    .where('customer_emails.deleted_at', 'is', null)
    .where('customers.deleted_at', 'is', null)
    .where('customers.id', '!=', exceptCustomerId)
    .orderBy('customers.id')
    .limit(1),
);

/** The live customer other than `exceptCustomerId` known by this address: its main e-mail first, else an alternative one. */
export function* emailHolder(reads: Reads, email: string, exceptCustomerId: string | null) {
  const main = yield* reads.first(mainEmailHolder.with(email));
  if (main && main.id !== exceptCustomerId) return { customer: main, as: 'main' } as EmailHolder;
  const alternative = yield* reads.first(alternativeEmailHolder.with(email, exceptCustomerId ?? ''));
  return alternative ? ({ customer: alternative, as: 'alternative' } as EmailHolder) : undefined;
}

/** "the main email of Anna Berg", "an alternative email of Anna Berg". */
function heldAs(holder: EmailHolder): string {
  return `${holder.as === 'main' ? 'the main' : 'an alternative'} email of ${describeCustomer(holder.customer)}`;
}

/**
 * Refuses an address another (live) customer holds, naming whose it is: a CONFLICT on `field`.
 * `customerId` is the customer the address is for (null for a new one): its own addresses are free.
 */
export function* assertEmailFree(reads: Reads, email: string, customerId: string | null, field = 'email') {
  const holder = yield* emailHolder(reads, email, customerId);
  if (holder) throw conflict(`Email ${email} is already ${heldAs(holder)}`, field);
}

/** The profile fields a matched creation may fill on the customer it was matched to: never the e-mail, which that customer holds already. */
const fillableColumns = ['first_name', 'last_name', 'phone', 'postcode', 'address', 'city', 'country', 'gender'] as const satisfies readonly (keyof CustomerProfile)[];

const searchedColumns: ReadonlySet<string> = new Set(['first_name', 'last_name', 'phone']);

/**
 * A customer created (with id `createdId`, the profile given) whose address `holder` already holds:
 * the created row is a tombstone naming the holder, the fields the holder lacks are filled from
 * the profile (last writer wins by HLC, as for any edit: a field written later elsewhere stays),
 * both are audited, and the receipt reports `email_matched`. Returns the holder's id.
 */
export function* matchCreatedCustomer(tx: CommandTx, holder: EmailHolder, profile: Partial<CustomerProfile>, createdId: string) {
  const customer = yield* loadCustomer(tx, holder.customer.id);
  const missing = fillableColumns.filter((column) => customer[column] === null && (profile[column] ?? null) !== null);
  const edit = decideStampedEdit(customer.field_hlcs, tx.envelope.hlc, missing);
  const filled: Partial<CustomerProfile> = {};
  for (const column of edit.applied) filled[column] = profile[column]!;
  if (edit.applied.length > 0) {
    const searched = edit.applied.some((column) => searchedColumns.has(column));
    yield* tx.run(
      query
        .updateTable('customers')
        .set({ ...filled, ...(searched ? { sort_name: sortName({ ...customer, ...filled }) } : {}), field_hlcs: edit.fieldHlcs, updated_at: tx.now })
        .where('id', '=', customer.id),
    );
    if (searched) yield* tx.project('customer-search', customer.id);
  }
  yield* createMergedCustomer(tx, profile, createdId, customer.id);

  const email = profile.email!;
  yield* tx.audit({
    entity: 'customer',
    entityId: customer.id,
    before: Object.fromEntries(edit.applied.map((column) => [profileFieldOfColumn[column], null])),
    after: { ...Object.fromEntries(edit.applied.map((column) => [profileFieldOfColumn[column], filled[column]])), matchedByEmail: email },
  });
  yield* tx.audit({ entity: 'customer', entityId: createdId, after: { matchedByEmail: email, mergedInto: customer.id } });
  tx.conflict({
    kind: 'email_matched',
    message: `Email ${email} is already ${heldAs(holder)}: the customer created with it was matched to that customer`,
    entity: 'customer',
    entityId: customer.id,
  });
  return customer.id;
}
