import { defineCommand } from '../commands/command.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict, notFound } from '../errors.ts';
import { compareCodePoints } from './code-points.ts';
import { alternativeEmailInput } from './customers.contract.ts';
import { assertEmailFree } from './email-match.ts';
import { loadCustomer } from './existing-customer.ts';
import { rowChangeOverwritten } from './overwritten-fields.ts';
import { rolesFrom } from '../operators/roles.ts';

const liveAlternativeEmails = queryTemplate((customerId: string) =>
  query.selectFrom('customer_emails').select('email').where('customer_id', '=', customerId).where('deleted_at', 'is', null),
);

const alternativeEmailRow = queryTemplate((customerId: string, email: string) =>
  query.selectFrom('customer_emails').select(['deleted_at', 'hlc']).where('customer_id', '=', customerId).where('email', '=', email),
);

/** The customer's alternative e-mails, in code-point order whatever the store's collation. */
function* alternativeEmails(tx: CommandTx, customerId: string) {
  const rows = yield* tx.all(liveAlternativeEmails.with(customerId));
  return rows.map((row) => row.email).sort(compareCodePoints);
}

/**
 * Seed 004 "Alternative emails": more addresses a customer is known by. They are searchable, so the
 * terminal's search row is rewritten in the same transaction. An address is one customer's
 * (email-match.ts): one another customer holds, as main or alternative e-mail, is refused.
 */
export const addAlternativeEmail = defineCommand({
  name: 'customers.addAlternativeEmail',
  version: 1,
  roles: rolesFrom('box_office'),
  input: alternativeEmailInput,
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    if (customer.email === input.email) {
      throw conflict(`${input.email} is already this customer's main email`, 'email');
    }
    const before = yield* alternativeEmails(tx, customer.id);
    if (before.includes(input.email)) {
      throw conflict(`${input.email} is already one of this customer's alternative emails`, 'email');
    }
    yield* assertEmailFree(tx, input.email, customer.id);
    const row = yield* tx.first(alternativeEmailRow.with(customer.id, input.email));
    if (yield* rowChangeOverwritten(tx, customer, row, { what: `The alternative email ${input.email}`, change: 'added', notApplied: { alternativeEmailAdded: input.email } })) return { customerId: customer.id };
    // An address removed earlier is a tombstone: adding it again revives that row.
    yield* tx.run(
      query
        .insertInto('customer_emails')
        .values({ customer_id: customer.id, email: input.email, created_at: tx.now, deleted_at: null, server_version: null, hlc: tx.envelope.hlc })
        .onConflict((oc) => oc.columns(['customer_id', 'email']).doUpdateSet({ deleted_at: null, hlc: tx.envelope.hlc })),
    );
    yield* tx.project('customer-search', customer.id);
    yield* tx.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { alternativeEmails: before },
      after: { alternativeEmails: [...before, input.email].sort(compareCodePoints) },
    });
    return { customerId: customer.id };
  },
});

export const removeAlternativeEmail = defineCommand({
  name: 'customers.removeAlternativeEmail',
  version: 1,
  roles: rolesFrom('box_office'),
  input: alternativeEmailInput,
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    const row = yield* tx.first(alternativeEmailRow.with(customer.id, input.email));
    if (!row || row.deleted_at !== null) throw notFound(`${input.email} is not one of this customer's alternative emails`, 'email');
    if (yield* rowChangeOverwritten(tx, customer, row, { what: `The alternative email ${input.email}`, change: 'removed', notApplied: { alternativeEmailRemoved: input.email } })) return { customerId: customer.id };
    const before = yield* alternativeEmails(tx, customer.id);
    // A tombstone, not a DELETE: the removal syncs like any other change (DESIGN.md section 4).
    yield* tx.run(
      query
        .updateTable('customer_emails')
        .set({ deleted_at: tx.now, hlc: tx.envelope.hlc })
        .where('customer_id', '=', customer.id)
        .where('email', '=', input.email),
    );
    yield* tx.project('customer-search', customer.id);
    yield* tx.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { alternativeEmails: before },
      after: { alternativeEmails: before.filter((email) => email !== input.email) },
    });
    return { customerId: customer.id };
  },
});
