import type { Selectable } from 'kysely';
import type { CustomerTable } from '../../db/schema.ts';
import { sql, type Store } from '../../db/store.ts';
import { notFound } from '../errors.ts';
import { anonymousCustomerName, displayName } from './display-name.ts';

export type CustomerRow = Selectable<CustomerTable>;

/**
 * The customer a command works on. A deleted customer is gone for staff, so it is NOT_FOUND (field
 * `customerId`) like an unknown id.
 */
export function requireCustomer(store: Store, customerId: string): CustomerRow {
  const customer = store.first(
    sql.selectFrom('customers').selectAll().where('id', '=', customerId).where('deleted_at', 'is', null),
  );
  if (!customer) throw notFound('This customer is not on this terminal', 'customerId');
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

/** Looks up a customer by id for a message, whatever its state (deleted customers are named too). */
export function describeCustomerById(store: Store, customerId: string): string {
  const customer = store.first(sql.selectFrom('customers').select(['first_name', 'last_name', 'email']).where('id', '=', customerId));
  return customer ? describeCustomer(customer) : 'a customer unknown to this terminal';
}
