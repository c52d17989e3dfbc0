import type { Selectable } from 'kysely';
import type { CustomerTable } from '../../db/schema.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { describeCustomer } from '../customers/existing-customer.ts';
import { emptyProfile, type CustomerProfile } from '../customers/insert.ts';
import { sortName } from '../customers/search-index.ts';
import { notFound } from '../errors.ts';

/*
 * STOPGAP for the tag and ticket bodies (item 2): generator forms of core/customers/existing-customer.ts
 * `requireCustomer` / `describeCustomerById` and core/customers/insert.ts `insertCustomer`, which the
 * customers branch converts in parallel. Same names and signatures as that branch's
 * (`loadCustomer`, `loadCustomerName`, `createCustomer`), so merging both means deleting this file
 * and pointing the imports at core/customers/.
 */

/** The columns a tag or ticket body reads of a customer (never search_rowid: the server has none). */
export type CustomerRow = Pick<Selectable<CustomerTable>, 'id' | 'first_name' | 'last_name' | 'email' | 'deleted_at'>;

const liveCustomer = queryTemplate((customerId: string) =>
  query.selectFrom('customers').select(['id', 'first_name', 'last_name', 'email', 'deleted_at']).where('id', '=', customerId).where('deleted_at', 'is', null),
);

const customerNames = queryTemplate((customerId: string) =>
  query.selectFrom('customers').select(['first_name', 'last_name', 'email']).where('id', '=', customerId),
);

/**
 * The customer a command body works on. A deleted customer is gone for staff, so it is NOT_FOUND
 * (field `customerId`) like an unknown id.
 */
export function* loadCustomer(tx: Pick<CommandTx, 'first'>, customerId: string) {
  const customer: CustomerRow | undefined = yield* tx.first(liveCustomer.with(customerId));
  if (!customer) throw notFound('This customer is not on this terminal', 'customerId');
  return customer;
}

/** How a message names a customer (core/customers/existing-customer.ts `describeCustomer`), whatever its state. */
export function* loadCustomerName(tx: Pick<CommandTx, 'first'>, customerId: string) {
  const customer = yield* tx.first(customerNames.with(customerId));
  return customer ? describeCustomer(customer) : 'a customer unknown to this terminal';
}

/**
 * Creates a customer in a command body, and asks the terminal to index it for search. search_rowid
 * is left out: SQLite assigns it (the integer primary key), and the server has no such column.
 */
export function* createCustomer(tx: Pick<CommandTx, 'now' | 'run' | 'project'>, profile: Partial<CustomerProfile>, id: string) {
  const full = { ...emptyProfile, ...profile };
  yield* tx.run(
    query.insertInto('customers').values({
      id,
      ...full,
      verification_status: 'non_verified',
      description: null,
      web_user_id: null,
      sort_name: sortName(full),
      created_at: tx.now,
      updated_at: tx.now,
      server_version: null,
      deleted_at: null,
    }),
  );
  yield* tx.project('customer-search', id);
  return id;
}
