import type { Selectable } from 'kysely';
import type { CustomerTable } from '../../db/schema.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { notFound } from '../errors.ts';
import { anonymousCustomerName, displayName } from './display-name.ts';

/**
 * A customer as a command reads it: every synced column. Not search_rowid, the terminal's key into
 * its search index, which the server does not have.
 */
export type CustomerRow = Omit<Selectable<CustomerTable>, 'search_rowid'>;

const customerColumns = [
  'id',
  'email',
  'first_name',
  'last_name',
  'phone',
  'postcode',
  'address',
  'city',
  'country',
  'gender',
  'verification_status',
  'description',
  'web_user_id',
  'total_spent',
  'order_count',
  'sort_name',
  'created_at',
  'updated_at',
  'server_version',
  'deleted_at',
  'field_hlcs',
  'merged_into',
] as const satisfies readonly (keyof CustomerRow)[];

const customerById = queryTemplate((customerId: string) => query.selectFrom('customers').select(customerColumns).where('id', '=', customerId));

const customerNames = queryTemplate((customerId: string) =>
  query.selectFrom('customers').select(['first_name', 'last_name', 'email']).where('id', '=', customerId),
);

const notOnThisTerminal = () => notFound('This customer is not on this terminal', 'customerId');

/**
 * The customer a command body works on. A customer matched to an earlier one by e-mail (its
 * tombstone names that one in `merged_into`, core/customers/email-match.ts) is that customer: a
 * terminal's later commands naming the id it created act on the customer the server kept, on the
 * server and on the terminal once it pulled. One hop is enough: a customer is merged only as it is
 * created, into one that is live then. Any other deleted customer is gone for staff, so it is
 * NOT_FOUND (field `customerId`) like an unknown id.
 */
export function* loadCustomer(tx: Pick<CommandTx, 'first'>, customerId: string) {
  let customer: CustomerRow | undefined = yield* tx.first(customerById.with(customerId));
  if (customer?.deleted_at != null && customer.merged_into !== null) customer = yield* tx.first(customerById.with(customer.merged_into));
  if (!customer || customer.deleted_at !== null) throw notOnThisTerminal();
  return customer;
}

/**
 * How a customer is named in a message to staff: "Anna Berg", else their e-mail, else "an anonymous
 * customer". Never the id: staff cannot read a UUID, and the name is what they search for.
 */
export function describeCustomer(customer: Pick<CustomerRow, 'first_name' | 'last_name' | 'email'>): string {
  const name = displayName({ firstName: customer.first_name, lastName: customer.last_name, email: customer.email });
  return name === anonymousCustomerName ? 'an anonymous customer' : name;
}

const unknownCustomer = 'a customer unknown to this terminal';

/** Looks up a customer by id for a message in a command body, whatever its state (deleted customers are named too). */
export function* loadCustomerName(tx: Pick<CommandTx, 'first'>, customerId: string) {
  const customer = yield* tx.first(customerNames.with(customerId));
  return customer ? describeCustomer(customer) : unknownCustomer;
}
