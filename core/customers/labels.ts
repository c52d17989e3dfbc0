import type { z } from 'zod';
import { sql, type Store } from '../../db/store.ts';
import { defineCommand, type CoreContext } from '../commands/command.ts';
import { notFound } from '../errors.ts';
import { namedId } from '../commands/envelope.ts';
import { addLabelInput, labelSummary, removeLabelInput } from './commands.contract.ts';
import { requireCustomer } from './existing-customer.ts';

/**
 * Labels are the seeds' "customer tags" (seed 004): CRM markers such as "VIP" or "press". A label
 * name is unique whatever its case, so "vip" finds the existing "VIP".
 */

interface LabelRef {
  id: string;
  name: string;
}

function customerLabels(store: Store, customerId: string): LabelRef[] {
  return store.all(
    sql
      .selectFrom('customer_labels')
      .innerJoin('labels', 'labels.id', 'customer_labels.label_id')
      .select(['labels.id', 'labels.name'])
      .where('customer_labels.customer_id', '=', customerId)
      .where('customer_labels.deleted_at', 'is', null)
      .orderBy('labels.name')
      .orderBy('labels.id'),
  );
}

/** Case-insensitive lookup through the labels_name index (which is COLLATE NOCASE). */
function findLabelByName(store: Store, name: string): LabelRef | undefined {
  return store.statement('SELECT id, name FROM labels WHERE name = ? COLLATE NOCASE').get(name) as LabelRef | undefined;
}

export const addLabel = defineCommand({
  name: 'customers.addLabel',
  version: 1,
  input: addLabelInput,
  apply(scope, input) {
    const customer = requireCustomer(scope.store, input.customerId);
    let label = findLabelByName(scope.store, input.label);
    if (!label) {
      // Its id follows from the name: two terminals creating "VIP" offline create one label.
      label = { id: namedId('label', '', input.label), name: input.label };
      scope.store.run(
        sql.insertInto('labels').values({
          id: label.id,
          name: label.name,
          color: null,
          created_at: scope.now,
          updated_at: scope.now,
          server_version: null,
        }),
      );
      scope.audit({ entity: 'label', entityId: label.id, after: { name: label.name, color: null } });
    }
    const before = customerLabels(scope.store, customer.id);
    if (before.some((existing) => existing.id === label.id)) return { customerId: customer.id, labelId: label.id };
    // A label taken off earlier is a tombstone: adding it again revives that row.
    scope.store.run(
      sql
        .insertInto('customer_labels')
        .values({ customer_id: customer.id, label_id: label.id, created_at: scope.now, deleted_at: null, server_version: null })
        .onConflict((oc) => oc.columns(['customer_id', 'label_id']).doUpdateSet({ deleted_at: null })),
    );
    scope.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { labels: before },
      after: { labels: customerLabels(scope.store, customer.id) },
    });
    return { customerId: customer.id, labelId: label.id };
  },
});

/** Takes a label off one customer; the label itself stays in the list for other customers. */
export const removeLabel = defineCommand({
  name: 'customers.removeLabel',
  version: 1,
  input: removeLabelInput,
  apply(scope, input) {
    const customer = requireCustomer(scope.store, input.customerId);
    const before = customerLabels(scope.store, customer.id);
    if (!before.some((label) => label.id === input.labelId)) {
      throw notFound('This customer does not have that label', 'labelId');
    }
    // A tombstone, not a DELETE: the removal syncs like any other change (DESIGN.md section 4).
    scope.store.run(
      sql
        .updateTable('customer_labels')
        .set({ deleted_at: scope.now })
        .where('customer_id', '=', customer.id)
        .where('label_id', '=', input.labelId),
    );
    scope.audit({
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
        sql
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
    .all(sql.selectFrom('labels').select(['id', 'name', 'color']))
    .map((label) => ({ ...label, customerCount: counts.get(label.id) ?? 0 }));
  labels.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id));
  return { labels };
}
