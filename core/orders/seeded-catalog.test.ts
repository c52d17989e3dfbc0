import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { Store, sql } from '../../db/store.ts';
import { createCore } from '../api/core.ts';
import { catalogItems } from '../../host/seed/festival.ts';
import { seedSyntheticEvent } from '../../host/seed/synthetic-event.ts';
import { steppingClock } from '../../test/fixtures/store.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { terminalShortCode } from '../terminal/state.ts';

function seeded() {
  const store = new Store(openDatabase(':memory:'));
  seedSyntheticEvent(store, { customers: 300, tickets: 450, tags: 260, seed: 11 });
  const core = createCore({ store, clock: steppingClock('2026-07-10T12:00:00.000Z'), caller: { name: 'operator-1', role: 'admin' }, onInternalError: (error) => { throw error; } });
  return { store, core };
}

describe('catalog and orders on a seeded store', () => {
  it('lists every catalog item of the synthetic festival, sold units from its orders', async () => {
    const { store, core } = seeded();
    const { items } = expectOk(await core.invoke('catalog.list', {}));
    expect(items.map((item) => item.name).sort()).toEqual(catalogItems.map((item) => item.name).sort());
    const heldRow = store.db
      .prepare(
        `SELECT sum(order_items.quantity) AS sold FROM order_items JOIN orders ON orders.id = order_items.order_id
         JOIN catalog_items ON catalog_items.id = order_items.catalog_item_id
         WHERE catalog_items.name = 'Festival T-shirt' AND orders.deleted_at IS NULL AND orders.status NOT IN ('canceled', 'expired')`,
      )
      .get() as { sold: number | null };
    expect(items.find((item) => item.name === 'Festival T-shirt')).toMatchObject({ kind: 'product', price: 2500, capacity: 3000, sold: heldRow.sold ?? 0 });
  });

  it('never oversells an item with a capacity, even in a seed larger than the capacity', async () => {
    const store = new Store(openDatabase(':memory:'));
    seedSyntheticEvent(store, { customers: 6000, tickets: 6000, tags: 100, seed: 3 });
    const core = createCore({ store, caller: { name: 'operator-1', role: 'admin' } });
    const { items } = expectOk(await core.invoke('catalog.list', {}));
    const limited = items.filter((item) => item.capacity !== null);
    expect(limited.length).toBeGreaterThan(0);
    for (const item of limited) expect(item.sold, item.name).toBeLessThanOrEqual(item.capacity!);
    expect(items.find((item) => item.name === 'Backstage access')!.sold).toBeGreaterThan(0);
  });

  it("sells under this terminal's short code, apart from the seed's numbers, and keeps the seeded customer's totals equal to the card", async () => {
    const { store, core } = seeded();
    const { items } = expectOk(await core.invoke('catalog.list', {}));
    const credits = items.find((item) => item.name === 'Credits €25')!;
    const customer = store.first(sql.selectFrom('customers').select('id').where('order_count', '>', 0).orderBy('search_rowid').limit(1))!;
    const before = expectOk(await core.invoke('customers.card', { customerId: customer.id, deletedOrders: false }));
    const sale = expectOk(await core.invoke('orders.create', { customerId: customer.id, items: [{ catalogItemId: credits.id, quantity: 2 }], amountPaid: 5000 }));
    expect(sale.number).toBe(`${terminalShortCode(store)}-000001`);
    const after = expectOk(await core.invoke('customers.card', { customerId: customer.id, deletedOrders: false }));
    expect(after.totals.amountSpent).toBe(before.totals.amountSpent + 5000);
    expect(after.totals.orderCount).toBe(before.totals.orderCount + 1);
    expect(after.totals.balances.credit).toBe(before.totals.balances.credit + 5000);
    const keys = store.first(sql.selectFrom('customers').select(['total_spent', 'order_count']).where('id', '=', customer.id))!;
    expect(keys).toEqual({ total_spent: after.totals.amountSpent, order_count: after.totals.orderCount });
  });

  it('sells the Friends pack as 4 Weekend tickets and a gift card as a code; lists what cannot be sold with the reason', async () => {
    const { store, core } = seeded();
    const { items } = expectOk(await core.invoke('catalog.list', {}));
    const named = (name: string) => items.find((item) => item.name === name)!;
    expect(items.filter((item) => item.notSellableReason !== null).map((item) => item.name).sort()).toEqual(['Backstage access', 'Zomerlicht early-bird pass for next year']);
    expect(named('Friends pack (4 × Weekend)').contents).toEqual([{ catalogItemId: named('Weekend ticket').id, name: 'Weekend ticket', quantity: 4 }]);
    const customer = store.first(sql.selectFrom('customers').select('id').orderBy('search_rowid').limit(1))!;
    const sale = expectOk(
      await core.invoke('orders.create', {
        customerId: customer.id,
        items: [{ catalogItemId: named('Friends pack (4 × Weekend)').id, quantity: 1 }, { catalogItemId: named('Gift card €50').id, quantity: 1 }],
        amountPaid: 80000,
      }),
    );
    expect(sale).toMatchObject({ total: 74900, changeDue: 5100, giftCards: [{ code: expect.stringMatching(/^GC-/), value: 5000 }] });
    expect(sale.tickets.map((ticket) => ticket.ticketType)).toEqual(['Weekend', 'Weekend', 'Weekend', 'Weekend']);
  });
});
