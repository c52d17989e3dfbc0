import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { createTestCore, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';
import { labelCustomer } from '../../test/fixtures/customer-reads.ts';

describe('customers.addLabel / removeLabel and labels.list', () => {
  it('creates a label on first use and reuses it whatever the case', async () => {
    const { store, core } = createTestCore();
    const anna = insertTestCustomer(store, { first_name: 'Anna' });
    const bob = insertTestCustomer(store, { first_name: 'Bob' });

    const first = expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: '  VIP ' }));
    const second = expectOk(await core.invoke('customers.addLabel', { customerId: bob, label: 'vip' }));
    expect(second.labelId).toBe(first.labelId);
    expect(store.all(sql.selectFrom('labels').select(['id', 'name']))).toEqual([{ id: first.labelId, name: 'VIP' }]);

    expect(auditRows(store)).toMatchObject([
      { operation: 'customers.addLabel@1', entity: 'label', entity_id: first.labelId, before: null, after: { name: 'VIP' } },
      { entity: 'customer', entity_id: anna, before: { labels: [] }, after: { labels: [{ id: first.labelId, name: 'VIP' }] } },
      { entity: 'customer', entity_id: bob, before: { labels: [] }, after: { labels: [{ id: first.labelId, name: 'VIP' }] } },
    ]);
  });

  it('is a no-op success when the customer already has the label', async () => {
    const { store, core } = createTestCore();
    const anna = insertTestCustomer(store);
    const { labelId } = expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'Press' }));
    const audits = auditRows(store).length;
    expect(expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'PRESS' }))).toEqual({ customerId: anna, labelId });
    expect(auditRows(store)).toHaveLength(audits);
    expect(store.all(sql.selectFrom('customer_labels').selectAll())).toHaveLength(1);
  });

  it('lists labels by name with the number of (not deleted) customers carrying them', async () => {
    const { store, core } = createTestCore();
    const anna = insertTestCustomer(store);
    const bob = insertTestCustomer(store);
    const gone = insertTestCustomer(store);
    const vip = expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'VIP' })).labelId;
    expectOk(await core.invoke('customers.addLabel', { customerId: bob, label: 'vip' }));
    expectOk(await core.invoke('customers.addLabel', { customerId: gone, label: 'VIP' }));
    const press = expectOk(await core.invoke('customers.addLabel', { customerId: bob, label: 'press' })).labelId;
    const artist = expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'Artist' })).labelId;
    expectOk(await core.invoke('customers.removeLabel', { customerId: anna, labelId: artist }));
    store.run(sql.updateTable('customers').set({ deleted_at: '2026-05-03T00:00:00.000Z' }).where('id', '=', gone));

    expect(expectOk(await core.invoke('labels.list', {}))).toEqual({
      labels: [
        { id: artist, name: 'Artist', color: null, customerCount: 0 },
        { id: press, name: 'press', color: null, customerCount: 1 },
        { id: vip, name: 'VIP', color: null, customerCount: 2 },
      ],
    });
  });

  it('removes a label from one customer and audits it', async () => {
    const { store, core } = createTestCore();
    const anna = insertTestCustomer(store);
    const vip = expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'VIP' })).labelId;
    const press = expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'Press' })).labelId;
    expect(expectOk(await core.invoke('customers.removeLabel', { customerId: anna, labelId: vip }))).toEqual({ customerId: anna, labelId: vip });
    // The removal is a tombstone that syncs; the card and the counts no longer see it.
    expect(store.all(sql.selectFrom('customer_labels').select(['label_id', 'deleted_at']).orderBy('created_at'))).toEqual([
      { label_id: vip, deleted_at: expect.stringMatching(/^2026-06-01T/) },
      { label_id: press, deleted_at: null },
    ]);
    expect(expectOk(await core.invoke('customers.card', { customerId: anna, deletedOrders: false })).labels).toMatchObject([{ id: press }]);
    expect(expectOk(await core.invoke('labels.list', {})).labels.find((label) => label.id === vip)?.customerCount).toBe(0);
    // Adding it again revives the row.
    expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'vip' }));
    expect(store.all(sql.selectFrom('customer_labels').select(['label_id', 'deleted_at']).where('label_id', '=', vip))).toEqual([{ label_id: vip, deleted_at: null }]);
    expect(store.all(sql.selectFrom('labels').select('id'))).toHaveLength(2);
    expect(auditRows(store).filter((row) => row.operation === 'customers.removeLabel@1').at(-1)).toMatchObject({
      operation: 'customers.removeLabel@1',
      before: { labels: [{ id: press, name: 'Press' }, { id: vip, name: 'VIP' }] },
      after: { labels: [{ id: press, name: 'Press' }] },
    });
  });

  it('refuses labels not on the customer, unknown customers and bad label names, changing nothing', async () => {
    const { store, core } = createTestCore();
    const anna = insertTestCustomer(store);
    const bob = insertTestCustomer(store);
    const vip = expectOk(await core.invoke('customers.addLabel', { customerId: bob, label: 'VIP' })).labelId;
    const before = snapshot(store);
    expectError(await core.invoke('customers.removeLabel', { customerId: anna, labelId: vip }), 'NOT_FOUND', 'labelId');
    expectError(await core.invoke('customers.removeLabel', { customerId: anna, labelId: 'no-such-label' }), 'NOT_FOUND', 'labelId');
    expectError(await core.invoke('customers.addLabel', { customerId: 'missing', label: 'VIP' }), 'NOT_FOUND', 'customerId');
    expectError(await core.invoke('customers.addLabel', { customerId: 'missing', label: 'Brand new' }), 'NOT_FOUND', 'customerId');
    expectError(await core.invoke('customers.addLabel', { customerId: anna, label: '   ' }), 'VALIDATION', 'label');
    expectError(await core.invoke('customers.addLabel', { customerId: anna, label: 'x'.repeat(41) }), 'VALIDATION', 'label');
    expect(snapshot(store)).toEqual(before);
  });

  it('reuses a label created elsewhere (its id not derived from its name) whatever the case, beyond ASCII too', async () => {
    const { store, core } = createTestCore();
    const anna = insertTestCustomer(store);
    const bob = insertTestCustomer(store);
    // Labels from the seed or another source have ids of their own: the name finds them.
    const press = labelCustomer(store, bob, 'Press');
    const elite = labelCustomer(store, bob, 'Élite');
    expect(expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'PRESS' }))).toEqual({ customerId: anna, labelId: press });
    // The server's index folds all case (lower(name)): "élite" is the label "Élite" on every store.
    expect(expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'élite' }))).toEqual({ customerId: anna, labelId: elite });
    expect(expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'artist' })).labelId).not.toBe(press);
    expect(store.all(sql.selectFrom('labels').select('name').orderBy('name'))).toEqual([{ name: 'Press' }, { name: 'artist' }, { name: 'Élite' }]);
    // The audited lists are in binary order: upper case before lower case, then accented letters.
    expect(auditRows(store).at(-1)).toMatchObject({
      entity: 'customer',
      entity_id: anna,
      before: { labels: [{ id: press, name: 'Press' }, { id: elite, name: 'Élite' }] },
      after: { labels: [{ name: 'Press' }, { name: 'artist' }, { name: 'Élite' }] },
    });
  });

  it('is a no-op, writing nothing to the outbox, when a label created elsewhere is already on the customer', async () => {
    const { store, core } = createTestCore();
    const anna = insertTestCustomer(store);
    const vip = labelCustomer(store, anna, 'VIP');
    const labels = store.all(sql.selectFrom('labels').selectAll());
    expect(expectOk(await core.invoke('customers.addLabel', { customerId: anna, label: 'vip' }))).toEqual({ customerId: anna, labelId: vip });
    expect(outboxRows(store)).toEqual([]);
    expect(auditRows(store)).toEqual([]);
    expect(store.all(sql.selectFrom('labels').selectAll())).toEqual(labels);
  });
});
