import type { z } from 'zod';
import { defineCommand, type CoreContext } from '../commands/command.ts';
import { namedId, normalisedName } from '../commands/envelope.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { notFound } from '../errors.ts';
import { labelSummary } from '../labels/labels.contract.ts';
import { compareCodePoints } from './code-points.ts';
import { addLabelInput, removeLabelInput } from './customers.contract.ts';
import { loadCustomer } from './existing-customer.ts';
import { rowChangeOverwritten } from './overwritten-fields.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Labels are the seeds' "customer tags" (seed 004): CRM markers such as "VIP" or "press". A label
 * name is unique whatever its case, so "vip" finds the existing "VIP".
 */

interface LabelRef {
  id: string;
  name: string;
}

/** By name as SQLite's BINARY collation orders it, then by id: alike on every store. */
function compareLabels(a: LabelRef, b: LabelRef): number {
  return compareCodePoints(a.name, b.name) || compareCodePoints(a.id, b.id);
}

const liveCustomerLabels = queryTemplate((customerId: string) =>
  query
    .selectFrom('customer_labels')
    .innerJoin('labels', 'labels.id', 'customer_labels.label_id')
    .select(['labels.id', 'labels.name'])
    .where('customer_labels.customer_id', '=', customerId)
    .where('customer_labels.deleted_at', 'is', null),
);

function* customerLabels(tx: CommandTx, customerId: string) {
  const labels: LabelRef[] = yield* tx.all(liveCustomerLabels.with(customerId));
  return labels.sort(compareLabels);
}

const labelById = queryTemplate((labelId: string) => query.selectFrom('labels').select(['id', 'name']).where('id', '=', labelId));

const everyLabel = query.selectFrom('labels').select(['id', 'name']);

/**
 * The label a name means, whatever its case. A label created here has the id its name gives
 * (`namedId`), so that is one index probe. Labels created otherwise (the seed, a server) are
 * compared in JavaScript: the terminal's index folds ASCII case (COLLATE NOCASE), the server's
 * folds Unicode case (lower(name)), so comparing in SQL would find different labels on each
 * store. Any case-insensitive match counts, so neither store's unique index can refuse the new
 * label; labels are few. Where several match, the exact name wins, then the ASCII-folded one.
 */
function* findLabelByName(tx: CommandTx, name: string) {
  const named = yield* tx.first(labelById.with(namedId('label', '', name)));
  if (named) return named;
  const folded = name.toLowerCase();
  const closeness = (label: LabelRef) => (label.name === name ? 0 : normalisedName(label.name) === normalisedName(name) ? 1 : 2);
  const matches = (yield* tx.all(everyLabel))
    .filter((label) => label.name.toLowerCase() === folded)
    .sort((a, b) => closeness(a) - closeness(b) || compareCodePoints(a.id, b.id));
  return matches[0];
}

const customerLabelRow = queryTemplate((customerId: string, labelId: string) =>
  query.selectFrom('customer_labels').select(['deleted_at', 'hlc']).where('customer_id', '=', customerId).where('label_id', '=', labelId),
);

export const addLabel = defineCommand({
  name: 'customers.addLabel',
  version: 1,
  roles: rolesFrom('box_office'),
  input: addLabelInput,
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    let label = yield* findLabelByName(tx, input.label);
    if (!label) {
      // Its id follows from the name: two terminals creating "VIP" offline create one label.
      label = { id: namedId('label', '', input.label), name: input.label };
      yield* tx.run(
        query.insertInto('labels').values({
          id: label.id,
          name: label.name,
          color: null,
          created_at: tx.now,
          updated_at: tx.now,
          server_version: null,
        }),
      );
      yield* tx.audit({ entity: 'label', entityId: label.id, after: { name: label.name, color: null } });
    }
    const labelId = label.id;
    const before = yield* customerLabels(tx, customer.id);
    if (before.some((existing) => existing.id === labelId)) return { customerId: customer.id, labelId };
    const row = yield* tx.first(customerLabelRow.with(customer.id, labelId));
    if (yield* rowChangeOverwritten(tx, customer, row, { what: `The label ${label.name}`, change: 'added', notApplied: { labelAdded: label.name } })) return { customerId: customer.id, labelId };
    // A label taken off earlier is a tombstone: adding it again revives that row.
    yield* tx.run(
      query
        .insertInto('customer_labels')
        .values({ customer_id: customer.id, label_id: labelId, created_at: tx.now, deleted_at: null, server_version: null, hlc: tx.envelope.hlc })
        .onConflict((oc) => oc.columns(['customer_id', 'label_id']).doUpdateSet({ deleted_at: null, hlc: tx.envelope.hlc })),
    );
    yield* tx.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { labels: before },
      after: { labels: [...before, { id: label.id, name: label.name }].sort(compareLabels) },
    });
    return { customerId: customer.id, labelId };
  },
});

/** Takes a label off one customer; the label itself stays in the list for other customers. */
export const removeLabel = defineCommand({
  name: 'customers.removeLabel',
  version: 1,
  roles: rolesFrom('box_office'),
  input: removeLabelInput,
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    const row = yield* tx.first(customerLabelRow.with(customer.id, input.labelId));
    if (!row || row.deleted_at !== null) throw notFound('This customer does not have that label', 'labelId');
    const label = (yield* tx.first(labelById.with(input.labelId))) ?? { id: input.labelId, name: 'that label' };
    if (yield* rowChangeOverwritten(tx, customer, row, { what: `The label ${label.name}`, change: 'removed', notApplied: { labelRemoved: label.name } })) return { customerId: customer.id, labelId: input.labelId };
    const before = yield* customerLabels(tx, customer.id);
    // A tombstone, not a DELETE: the removal syncs like any other change (DESIGN.md section 4).
    yield* tx.run(
      query
        .updateTable('customer_labels')
        .set({ deleted_at: tx.now, hlc: tx.envelope.hlc })
        .where('customer_id', '=', customer.id)
        .where('label_id', '=', input.labelId),
    );
    yield* tx.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { labels: before },
      after: { labels: before.filter((label) => label.id !== input.labelId) },
    });
    return { customerId: customer.id, labelId: input.labelId };
  },
});

/**
 * Every label with how many (not deleted) customers carry it, for the label picker, sorted by name
 * as staff read it. One grouped pass over customer_labels: labels are few and this is not a
 * per-keystroke path.
 */
export function listLabels(context: CoreContext): { labels: z.output<typeof labelSummary>[] } {
  const { store } = context;
  const counts = new Map(
    store
      .all(
        query
          .selectFrom('customer_labels')
          .innerJoin('customers', 'customers.id', 'customer_labels.customer_id')
          .select((eb) => ['customer_labels.label_id', eb.fn.countAll<number>().as('customerCount')])
          .where('customers.deleted_at', 'is', null)
          .where('customer_labels.deleted_at', 'is', null)
          .groupBy('customer_labels.label_id'),
      )
      .map((row) => [row.label_id, Number(row.customerCount)]),
  );
  const labels = store
    .all(query.selectFrom('labels').select(['id', 'name', 'color']))
    .map((label) => ({ ...label, customerCount: counts.get(label.id) ?? 0 }));
  labels.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id));
  return { labels };
}
