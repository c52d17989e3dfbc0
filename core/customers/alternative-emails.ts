import { sql, type Store } from '../../db/store.ts';
import { defineCommand } from '../commands/command.ts';
import { conflict, notFound } from '../errors.ts';
import { alternativeEmailInput } from './commands.contract.ts';
import { requireCustomer } from './existing-customer.ts';
import { reindexCustomer } from './search-index.ts';

function alternativeEmails(store: Store, customerId: string): string[] {
  return store
    .all(sql.selectFrom('customer_emails').select('email').where('customer_id', '=', customerId).where('deleted_at', 'is', null).orderBy('email'))
    .map((row) => row.email);
}

/**
 * Seed 004 "Alternative emails": more addresses a customer is known by. They are searchable, so the
 * search row is rewritten in the same transaction.
 */
export const addAlternativeEmail = defineCommand({
  name: 'customers.addAlternativeEmail',
  version: 1,
  input: alternativeEmailInput,
  apply(scope, input) {
    const customer = requireCustomer(scope.store, input.customerId);
    if (customer.email === input.email) {
      throw conflict(`${input.email} is already this customer's main email`, 'email');
    }
    const before = alternativeEmails(scope.store, customer.id);
    if (before.includes(input.email)) {
      throw conflict(`${input.email} is already one of this customer's alternative emails`, 'email');
    }
    // An address removed earlier is a tombstone: adding it again revives that row.
    scope.store.run(
      sql
        .insertInto('customer_emails')
        .values({ customer_id: customer.id, email: input.email, created_at: scope.now, deleted_at: null, server_version: null })
        .onConflict((oc) => oc.columns(['customer_id', 'email']).doUpdateSet({ deleted_at: null })),
    );
    reindexCustomer(scope.store, customer.id);
    scope.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { alternativeEmails: before },
      after: { alternativeEmails: alternativeEmails(scope.store, customer.id) },
    });
    return { customerId: customer.id };
  },
});

export const removeAlternativeEmail = defineCommand({
  name: 'customers.removeAlternativeEmail',
  version: 1,
  input: alternativeEmailInput,
  apply(scope, input) {
    const customer = requireCustomer(scope.store, input.customerId);
    const before = alternativeEmails(scope.store, customer.id);
    if (!before.includes(input.email)) {
      throw notFound(`${input.email} is not one of this customer's alternative emails`, 'email');
    }
    // A tombstone, not a DELETE: the removal syncs like any other change (DESIGN.md section 4).
    scope.store.run(
      sql.updateTable('customer_emails').set({ deleted_at: scope.now }).where('customer_id', '=', customer.id).where('email', '=', input.email),
    );
    reindexCustomer(scope.store, customer.id);
    scope.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { alternativeEmails: before },
      after: { alternativeEmails: before.filter((email) => email !== input.email) },
    });
    return { customerId: customer.id };
  },
});
