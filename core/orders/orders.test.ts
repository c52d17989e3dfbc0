import { describe, expect, it } from 'vitest';
import type { CatalogItemKind } from '../../db/schema.ts';
import { sql, type Store } from '../../db/store.ts';
import { newId } from '../ids.ts';
import { runCommand } from '../commands/command.ts';
import { deviceId, setTerminalShortCode, shortCodeOfDevice } from '../terminal/state.ts';
import { createOrder } from './create-order.ts';
import { auditRows, expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';
import {
  createTestCore,
  insertEvent,
  insertOrder,
  insertTestCustomer,
  insertTicket,
  insertTicketType,
  snapshot,
} from '../../test/fixtures/store.ts';

function insertCatalogItem(
  store: Store,
  values: {
    eventId: string;
    kind: CatalogItemKind;
    name: string;
    price: number;
    ledgerAmount?: number | null;
    ticketTypeId?: string | null;
    capacity?: number | null;
    deleted?: boolean;
  },
): string {
  const id = newId();
  const at = '2026-05-01T09:00:00.000Z';
  store.run(
    sql.insertInto('catalog_items').values({
      id,
      event_id: values.eventId,
      kind: values.kind,
      name: values.name,
      price: values.price,
      ledger_amount: values.ledgerAmount ?? null,
      ticket_type_id: values.ticketTypeId ?? null,
      capacity: values.capacity ?? null,
      created_at: at,
      updated_at: at,
      server_version: null,
      deleted_at: values.deleted ? at : null,
    }),
  );
  return id;
}

function setup() {
  const test = createTestCore();
  // As enrolment would (DESIGN.md section 5, "Keys people read").
  setTerminalShortCode(test.store, 'B7');
  const eventId = insertEvent(test.store);
  const weekend = insertTicketType(test.store, eventId, 'Weekend');
  const backstageType = insertTicketType(test.store, eventId, 'Backstage');
  const anna = insertTestCustomer(test.store, { first_name: 'Anna', last_name: 'Berg' });
  const item = (values: Omit<Parameters<typeof insertCatalogItem>[1], 'eventId'>) => insertCatalogItem(test.store, { eventId, ...values });
  const catalog = {
    ticket: item({ kind: 'ticket', name: 'Weekend ticket', price: 18900, ticketTypeId: weekend }),
    credits25: item({ kind: 'credit', name: 'Credits €25', price: 2500, ledgerAmount: 2500 }),
    credits50: item({ kind: 'credit', name: 'Credits €50', price: 5000, ledgerAmount: 5000 }),
    bonus: item({ kind: 'virtual_credit', name: 'Bonus credits €5', price: 0, ledgerAmount: 500 }),
    tokens: item({ kind: 'token', name: 'Drink tokens ×10', price: 3000, ledgerAmount: 10 }),
    backstage: item({ kind: 'access', name: 'Backstage access', price: 5000, capacity: 3, ticketTypeId: backstageType }),
  };
  return { ...test, eventId, weekend, backstageType, anna, item, catalog };
}

async function cardOf(core: ReturnType<typeof createTestCore>['core'], customerId: string, deletedOrders = false) {
  return expectOk(await core.invoke('customers.card', { customerId, deletedOrders }));
}

function sortKeys(store: Store, customerId: string) {
  return store.first(sql.selectFrom('customers').select(['total_spent', 'order_count']).where('id', '=', customerId))!;
}

/** The customers list's sort keys must always equal what the card adds up. */
async function expectSortKeysMatchCard(test: ReturnType<typeof setup>, customerId: string) {
  const card = await cardOf(test.core, customerId);
  expect(sortKeys(test.store, customerId)).toEqual({ total_spent: card.totals.amountSpent, order_count: card.totals.orderCount });
}

describe('catalog.list', () => {
  it("lists the event's items that are not deleted, with units held by live orders", async () => {
    const test = setup();
    const { core, store, eventId, anna, catalog, item } = test;
    item({ kind: 'product', name: 'Old poster', price: 100, deleted: true });
    const other = insertEvent(store, { name: 'Winter Fair' });
    insertCatalogItem(store, { eventId: other, kind: 'product', name: 'Scarf', price: 900 });
    expectOk(await core.invoke('orders.create', { customerId: anna, eventId, items: [{ catalogItemId: catalog.backstage, quantity: 2 }], amountPaid: 10000 }));
    const deleted = expectOk(
      await core.invoke('orders.create', { customerId: anna, eventId, items: [{ catalogItemId: catalog.backstage, quantity: 1 }], amountPaid: 0, reserve: true }),
    );
    expectOk(await core.invoke('orders.delete', { orderId: deleted.orderId }));

    const { items } = expectOk(await core.invoke('catalog.list', { eventId }));
    expect(items.map((entry) => entry.name)).toEqual([
      'Backstage access',
      'Credits €25',
      'Credits €50',
      'Weekend ticket',
      'Drink tokens ×10',
      'Bonus credits €5',
    ]);
    expect(items[0]).toEqual({
      id: catalog.backstage,
      eventId,
      kind: 'access',
      name: 'Backstage access',
      price: 5000,
      ledgerAmount: null,
      ticketTypeId: test.backstageType,
      capacity: 3,
      sold: 2,
      contents: [],
      notSellableReason: null,
    });
    expect(items.find((entry) => entry.id === catalog.ticket)).toMatchObject({ ticketTypeId: test.weekend, sold: 0, capacity: null });
    expectError(await core.invoke('catalog.list', { eventId: 'nope' }), 'NOT_FOUND', 'eventId');
  });
});

describe('orders.create', () => {
  it('sells credits, tokens and a ticket: paid order, ledger entries, ticket issued, totals kept in step', async () => {
    const test = setup();
    const { core, store, eventId, anna, catalog } = test;
    const before = await cardOf(core, anna);
    const result = expectOk(
      await core.invoke('orders.create', {
        customerId: anna,
        items: [
          { catalogItemId: catalog.credits25, quantity: 2 },
          { catalogItemId: catalog.credits50, quantity: 1 },
          { catalogItemId: catalog.bonus, quantity: 1 },
          { catalogItemId: catalog.tokens, quantity: 3 },
          { catalogItemId: catalog.ticket, quantity: 2 },
        ],
        amountPaid: 60000,
        flags: [' cash ', 'walk-in'],
        note: 'Paid in cash',
      }),
    );
    const total = 2 * 2500 + 5000 + 0 + 3 * 3000 + 2 * 18900;
    expect(result).toMatchObject({ orderId: expect.any(String), number: 'B7-000001', status: 'paid', total, amountPaid: 60000, changeDue: 60000 - total, currency: 'EUR', giftCards: [] });
    expect(result.tickets).toEqual([
      { reference: 'B7-000001-1', ticketType: 'Weekend' },
      { reference: 'B7-000001-2', ticketType: 'Weekend' },
    ]);

    const order = store.first(sql.selectFrom('orders').selectAll().where('id', '=', result.orderId))!;
    expect(order).toMatchObject({ event_id: eventId, channel: 'box_office', customer_id: anna, status: 'paid', total, amount_paid: 60000, flags: '["cash","walk-in"]', note: 'Paid in cash', deleted_at: null });
    expect(store.all(sql.selectFrom('order_items').select(['description', 'quantity', 'unit_price']).where('order_id', '=', result.orderId).orderBy('id'))).toEqual([
      { description: 'Credits €25', quantity: 2, unit_price: 2500 },
      { description: 'Credits €50', quantity: 1, unit_price: 5000 },
      { description: 'Bonus credits €5', quantity: 1, unit_price: 0 },
      { description: 'Drink tokens ×10', quantity: 3, unit_price: 3000 },
      { description: 'Weekend ticket', quantity: 2, unit_price: 18900 },
    ]);
    expect(store.all(sql.selectFrom('order_status_history').select(['status', 'operator']).where('order_id', '=', result.orderId))).toEqual([
      { status: 'paid', operator: 'operator-1' },
    ]);
    const outbox = outboxRows(store);
    expect(outbox).toMatchObject([{ name: 'orders.create', version: 1 }]);
    const ledger = store.all(sql.selectFrom('ledger_entries').selectAll().where('order_id', '=', result.orderId).orderBy('kind'));
    expect(ledger.map(({ kind, amount, reason, command_id }) => ({ kind, amount, reason, command_id }))).toEqual([
      { kind: 'credit', amount: 10000, reason: 'order', command_id: outbox[0]!.id },
      { kind: 'token', amount: 30, reason: 'order', command_id: outbox[0]!.id },
      { kind: 'virtual_credit', amount: 500, reason: 'order', command_id: outbox[0]!.id },
    ]);

    const after = await cardOf(core, anna);
    expect(after.totals).toMatchObject({ amountSpent: before.totals.amountSpent + total, orderCount: 1, balances: { credit: 10000, virtual_credit: 500, token: 30 } });
    expect(after.orders).toMatchObject([{ id: result.orderId, number: 'B7-000001', channel: 'box_office', status: 'paid', kind: 'sold', total, amountPaid: 60000 }]);
    expect(after.tickets.map((ticket) => [ticket.reference, ticket.ticketTypeId, ticket.orderId, ticket.status])).toEqual([
      ['B7-000001-1', test.weekend, result.orderId, 'valid'],
      ['B7-000001-2', test.weekend, result.orderId, 'valid'],
    ]);
    await expectSortKeysMatchCard(test, anna);
    const audit = auditRows(store);
    expect(audit.map((row) => [row.operation, row.entity])).toEqual([
      ['orders.create@1', 'order'],
      ['orders.create@1', 'ticket'],
      ['orders.create@1', 'ticket'],
      ['orders.create@1', 'customer'],
    ]);
    expect(audit[3]).toMatchObject({ entity_id: anna, before: { totalSpent: 0, orderCount: 0 }, after: { totalSpent: total, orderCount: 1 } });
  });

  it('reserves: status reserved, nothing paid, no ledger, no tickets, totals untouched', async () => {
    const test = setup();
    const { core, store, anna, catalog } = test;
    const result = expectOk(
      await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.ticket, quantity: 1 }, { catalogItemId: catalog.credits25, quantity: 1 }], amountPaid: 0, reserve: true }),
    );
    expect(result).toMatchObject({ status: 'reserved', total: 21400 });
    const card = await cardOf(core, anna);
    expect(card.orders).toMatchObject([{ id: result.orderId, status: 'reserved', kind: 'reserved', amountPaid: 0 }]);
    expect(card.totals).toMatchObject({ amountSpent: 0, orderCount: 0, balances: { credit: 0, virtual_credit: 0, token: 0 } });
    expect(card.tickets).toEqual([]);
    expect(store.all(sql.selectFrom('ledger_entries').selectAll())).toEqual([]);
    expect(auditRows(store).map((row) => row.entity)).toEqual(['order']);
    await expectSortKeysMatchCard(test, anna);
  });

  it("numbers orders one past the highest number this terminal issued for the event, apart from other terminals' numbers", async () => {
    const { core, store, eventId, anna, catalog } = setup();
    insertOrder(store, { eventId, customerId: anna, number: 'B7-000235', total: 1000 });
    insertOrder(store, { eventId, customerId: anna, number: 'K4QZ-000900', total: 1000 });
    insertOrder(store, { eventId, customerId: anna, number: 'W100900', total: 1000, channel: 'online' });
    const other = insertEvent(store, { name: 'Winter Fair' });
    insertOrder(store, { eventId: other, customerId: anna, number: 'B7-200000', total: 1000 });
    const sale = { customerId: anna, eventId, items: [{ catalogItemId: catalog.credits25, quantity: 1 }], amountPaid: 2500 };
    expect(expectOk(await core.invoke('orders.create', sale)).number).toBe('B7-000236');
    const second = expectOk(await core.invoke('orders.create', sale));
    expect(second.number).toBe('B7-000237');
    // The number the terminal issued travels in the envelope's args, with the event it resolved.
    expect(outboxRows(store).at(-1)!.args).toMatchObject({ number: 'B7-000237', eventId });
  });

  it('gives two terminals selling offline different order numbers and ticket references, from their device ids', async () => {
    const sell = async () => {
      const { core, store, anna, catalog } = setup();
      store.run(sql.deleteFrom('terminal_state').where('key', '=', 'short_code'));
      const order = expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.ticket, quantity: 1 }], amountPaid: 18900 }));
      expect(order.number).toBe(`${shortCodeOfDevice(deviceId(store))}-000001`);
      return [order.number, order.tickets[0]!.reference];
    };
    const [first, second] = [await sell(), await sell()];
    expect(first[0]).not.toBe(second[0]);
    expect(first[1]).not.toBe(second[1]);
  });

  it('refuses an order number the event already has (a replay of a number another terminal used)', async () => {
    const { core, store, eventId, anna, catalog } = setup();
    insertOrder(store, { eventId, customerId: anna, number: 'B7-000001', total: 1000 });
    const before = snapshot(store);
    const sale = { customerId: anna, eventId, items: [{ catalogItemId: catalog.credits25, quantity: 1 }], amountPaid: 2500 };
    let error: unknown;
    try {
      runCommand(core.context, createOrder, { ...sale, number: 'B7-000001' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'number', message: 'Summer Festival already has an order numbered B7-000001' });
    expect(snapshot(store)).toEqual(before);
  });

  it('issues the next free ticket reference when an imported ticket already has one', async () => {
    const { core, store, eventId, weekend, anna, catalog } = setup();
    insertTicket(store, { eventId, ticketTypeId: weekend, reference: 'B7-000001-1' });
    const result = expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.ticket, quantity: 1 }], amountPaid: 18900 }));
    expect(store.all(sql.selectFrom('tickets').select('reference').where('order_id', '=', result.orderId))).toEqual([{ reference: 'B7-000001-2' }]);
  });

  it('refuses to sell beyond capacity, counting reservations and this order, naming the item', async () => {
    const { core, store, anna, catalog } = setup();
    expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.backstage, quantity: 1 }], amountPaid: 0, reserve: true }));
    const before = snapshot(store);
    const error = expectError(
      await core.invoke('orders.create', {
        customerId: anna,
        items: [
          { catalogItemId: catalog.backstage, quantity: 1 },
          { catalogItemId: catalog.credits25, quantity: 1 },
          { catalogItemId: catalog.backstage, quantity: 2 },
        ],
        amountPaid: 100000,
      }),
      'CONFLICT',
      'items.0.quantity',
    );
    expect(error.message).toBe('Only 2 left of Backstage access');
    expect(snapshot(store)).toEqual(before);
    expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.backstage, quantity: 2 }], amountPaid: 10000 }));
  });

  it('frees capacity held by deleted and canceled orders', async () => {
    const { core, anna, catalog } = setup();
    const held = expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.backstage, quantity: 3 }], amountPaid: 15000 }));
    expectError(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.backstage, quantity: 1 }], amountPaid: 5000 }), 'CONFLICT');
    expectOk(await core.invoke('orders.delete', { orderId: held.orderId }));
    expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.backstage, quantity: 3 }], amountPaid: 15000 }));
  });

  it('refuses an underpaid sale, changing nothing; overpaying records what was paid', async () => {
    const { core, store, anna, catalog } = setup();
    const before = snapshot(store);
    const error = expectError(
      await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.credits25, quantity: 2 }], amountPaid: 4999 }),
      'VALIDATION',
      'amountPaid',
    );
    expect(error.message).toBe('Paid €49.99 is less than the total €50.00');
    expect(snapshot(store)).toEqual(before);
    const result = expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.credits25, quantity: 2 }], amountPaid: 6000 }));
    expect(result).toMatchObject({ total: 5000, amountPaid: 6000, changeDue: 1000 });
    expect(store.first(sql.selectFrom('orders').select('amount_paid').where('id', '=', result.orderId))).toEqual({ amount_paid: 6000 });
  });

  it('refuses unknown, deleted and other-event items, naming the line, changing nothing', async () => {
    const { core, store, anna, catalog, item } = setup();
    const deleted = item({ kind: 'product', name: 'Old poster', price: 100, deleted: true });
    const other = insertEvent(store, { name: 'Winter Fair' });
    const scarf = insertCatalogItem(store, { eventId: other, kind: 'product', name: 'Scarf', price: 900 });
    const eventId = store.first(sql.selectFrom('events').select('id').where('name', '=', 'Summer Festival'))!.id;
    const before = snapshot(store);
    const order = (catalogItemId: string) => ({
      customerId: anna,
      eventId,
      items: [{ catalogItemId: catalog.credits25, quantity: 1 }, { catalogItemId, quantity: 1 }],
      amountPaid: 100000,
    });
    expectError(await core.invoke('orders.create', order('missing')), 'NOT_FOUND', 'items.1.catalogItemId');
    expect(expectError(await core.invoke('orders.create', order(deleted)), 'NOT_FOUND', 'items.1.catalogItemId').message).toBe(
      'Old poster was removed from the catalog; reopen New order',
    );
    expect(expectError(await core.invoke('orders.create', order(scarf)), 'VALIDATION', 'items.1.catalogItemId').message).toBe(
      'Scarf is not sold for Summer Festival',
    );
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses unknown customers and events and malformed input, changing nothing', async () => {
    const { core, store, anna, catalog } = setup();
    const before = snapshot(store);
    const line = [{ catalogItemId: catalog.credits25, quantity: 1 }];
    const base = { customerId: anna, items: line, amountPaid: 2500 };
    expectError(await core.invoke('orders.create', { ...base, customerId: 'missing' }), 'NOT_FOUND', 'customerId');
    expectError(await core.invoke('orders.create', { ...base, eventId: 'missing' }), 'NOT_FOUND', 'eventId');
    expectError(await core.invoke('orders.create', { ...base, items: [] }), 'VALIDATION', 'items');
    expectError(await core.invoke('orders.create', { ...base, items: Array.from({ length: 51 }, () => line[0]!) }), 'VALIDATION', 'items');
    expectError(await core.invoke('orders.create', { ...base, items: [{ catalogItemId: catalog.credits25, quantity: 0 }] }), 'VALIDATION', 'items.0.quantity');
    expectError(await core.invoke('orders.create', { ...base, items: [{ catalogItemId: catalog.credits25, quantity: 101 }] }), 'VALIDATION', 'items.0.quantity');
    expectError(await core.invoke('orders.create', { ...base, items: [{ catalogItemId: catalog.credits25, quantity: 1.5 }] }), 'VALIDATION', 'items.0.quantity');
    expectError(await core.invoke('orders.create', { ...base, amountPaid: -1 }), 'VALIDATION', 'amountPaid');
    expectError(await core.invoke('orders.create', { ...base, amountPaid: 25.5 }), 'VALIDATION', 'amountPaid');
    expectError(await core.invoke('orders.create', { ...base, flags: ['  '] }), 'VALIDATION', 'flags.0');
    expectError(await core.invoke('orders.create', { ...base, flags: ['x'.repeat(41)] }), 'VALIDATION', 'flags.0');
    expectError(await core.invoke('orders.create', { ...base, flags: Array.from({ length: 11 }, (_, n) => `f${n}`) }), 'VALIDATION', 'flags');
    expectError(await core.invoke('orders.create', { ...base, note: 'x'.repeat(501) }), 'VALIDATION', 'note');
    expect(snapshot(store)).toEqual(before);
  });
});

describe('orders.delete', () => {
  it('soft-deletes a paid order: reversing ledger entries, tickets canceled, totals taken off', async () => {
    const test = setup();
    const { core, store, anna, catalog } = test;
    const kept = expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.credits50, quantity: 1 }], amountPaid: 5000 }));
    const sale = expectOk(
      await core.invoke('orders.create', {
        customerId: anna,
        items: [{ catalogItemId: catalog.credits25, quantity: 1 }, { catalogItemId: catalog.tokens, quantity: 1 }, { catalogItemId: catalog.ticket, quantity: 1 }],
        amountPaid: 24400,
      }),
    );
    const result = expectOk(await core.invoke('orders.delete', { orderId: sale.orderId }));
    expect(result).toEqual({ orderId: sale.orderId, deletedAt: expect.any(String) });

    const card = await cardOf(core, anna);
    expect(card.orders.map((order) => order.id)).toEqual([kept.orderId]);
    expect(card.totals).toMatchObject({ amountSpent: 5000, orderCount: 1, balances: { credit: 5000, virtual_credit: 0, token: 0 } });
    expect(card.tickets).toMatchObject([{ reference: 'B7-000002-1', status: 'invalid', invalidReason: 'canceled' }]);
    expect((await cardOf(core, anna, true)).orders).toMatchObject([{ id: sale.orderId, deletedAt: result.deletedAt }]);
    await expectSortKeysMatchCard(test, anna);

    const ledger = store.all(sql.selectFrom('ledger_entries').select(['kind', 'amount', 'reason']).where('order_id', '=', sale.orderId).orderBy('created_at').orderBy('kind'));
    expect(ledger).toEqual([
      { kind: 'credit', amount: 2500, reason: 'order' },
      { kind: 'token', amount: 10, reason: 'order' },
      { kind: 'credit', amount: -2500, reason: 'order deleted' },
      { kind: 'token', amount: -10, reason: 'order deleted' },
    ]);
    expect(store.all(sql.selectFrom('order_status_history').select(['status', 'note']).where('order_id', '=', sale.orderId).orderBy('at'))).toEqual([
      { status: 'paid', note: null },
      { status: 'paid', note: 'Order deleted' },
    ]);
    expect(auditRows(store).filter((row) => row.operation === 'orders.delete@1').map((row) => row.entity)).toEqual(['order', 'ticket', 'customer']);
  });

  it('deletes a reservation without touching the totals', async () => {
    const test = setup();
    const { core, anna, catalog } = test;
    const reserved = expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.credits25, quantity: 1 }], amountPaid: 0, reserve: true }));
    expectOk(await core.invoke('orders.delete', { orderId: reserved.orderId }));
    expect((await cardOf(core, anna)).totals).toMatchObject({ amountSpent: 0, orderCount: 0 });
    await expectSortKeysMatchCard(test, anna);
  });

  it('refuses unknown and already deleted orders, changing nothing', async () => {
    const { core, store, anna, catalog } = setup();
    const sale = expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.credits25, quantity: 1 }], amountPaid: 2500 }));
    expectOk(await core.invoke('orders.delete', { orderId: sale.orderId }));
    const before = snapshot(store);
    expectError(await core.invoke('orders.delete', { orderId: 'missing' }), 'NOT_FOUND', 'orderId');
    expect(expectError(await core.invoke('orders.delete', { orderId: sale.orderId }), 'CONFLICT', 'orderId').message).toContain('already deleted');
    expectError(await core.invoke('orders.delete', { orderId: '' }), 'VALIDATION', 'orderId');
    expect(snapshot(store)).toEqual(before);
  });
});

function insertPackContent(store: Store, packItemId: string, contentItemId: string, quantity: number): void {
  const at = '2026-05-01T09:00:00.000Z';
  store.run(
    sql.insertInto('pack_contents').values({
      id: newId(),
      pack_item_id: packItemId,
      content_item_id: contentItemId,
      quantity,
      created_at: at,
      updated_at: at,
      server_version: null,
      deleted_at: null,
    }),
  );
}

describe('orders.create delivers what each catalog kind names', () => {
  it('a pack issues its contents: 4 Weekend tickets and its credits per pack, counted against their capacity', async () => {
    const test = setup();
    const { core, store, anna, catalog, item } = test;
    const friends = item({ kind: 'pack', name: 'Friends pack (4 × Weekend)', price: 69900, capacity: 10 });
    insertPackContent(store, friends, catalog.ticket, 4);
    insertPackContent(store, friends, catalog.credits25, 1);
    const listed = expectOk(await core.invoke('catalog.list', {})).items.find((entry) => entry.id === friends);
    expect(listed).toMatchObject({
      notSellableReason: null,
      contents: [
        { catalogItemId: catalog.credits25, name: 'Credits €25', quantity: 1 },
        { catalogItemId: catalog.ticket, name: 'Weekend ticket', quantity: 4 },
      ],
    });

    const sale = expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: friends, quantity: 2 }], amountPaid: 139800 }));
    expect(sale.tickets.map((ticket) => ticket.ticketType)).toEqual(Array(8).fill('Weekend'));
    expect(new Set(sale.tickets.map((ticket) => ticket.reference)).size).toBe(8);
    const card = await cardOf(core, anna);
    expect(card.tickets.filter((ticket) => ticket.orderId === sale.orderId && ticket.status === 'valid')).toHaveLength(8);
    expect(card.totals).toMatchObject({ amountSpent: 139800, balances: { credit: 5000 } });

    // The ticket item now has a capacity: units inside packs sold count against it.
    store.run(sql.updateTable('catalog_items').set({ capacity: 10 }).where('id', '=', catalog.ticket));
    expect(expectOk(await core.invoke('catalog.list', {})).items.find((entry) => entry.id === catalog.ticket)!.sold).toBe(8);
    const before = snapshot(store);
    const error = expectError(
      await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.credits25, quantity: 1 }, { catalogItemId: friends, quantity: 1 }], amountPaid: 100000 }),
      'CONFLICT',
      'items.1.quantity',
    );
    expect(error.message).toBe('Only 2 left of Weekend ticket, which Friends pack (4 × Weekend) contains');
    expect(snapshot(store)).toEqual(before);

    // Deleting the order cancels the pack's tickets and takes its credits back.
    expectOk(await core.invoke('orders.delete', { orderId: sale.orderId }));
    const after = await cardOf(core, anna);
    expect(after.tickets.filter((ticket) => ticket.orderId === sale.orderId).every((ticket) => ticket.invalidReason === 'canceled')).toBe(true);
    expect(after.totals.balances.credit).toBe(0);
  });

  it('a gift card issues a unique readable code with its value recorded; deleting the order cancels it', async () => {
    const { core, store, anna, item } = setup();
    const gift = item({ kind: 'gift_card', name: 'Gift card €50', price: 5000 });
    const promo = item({ kind: 'gift_card', name: 'Gift card €50 for €45', price: 4500, ledgerAmount: 5000 });
    const sale = expectOk(
      await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: gift, quantity: 2 }, { catalogItemId: promo, quantity: 1 }], amountPaid: 20000 }),
    );
    expect(sale).toMatchObject({ total: 14500, changeDue: 5500 });
    expect(sale.giftCards.map((card) => card.value)).toEqual([5000, 5000, 5000]);
    for (const card of sale.giftCards) expect(card.code).toMatch(/^GC-[A-HJKMNP-TW-Z2-9]{4}-[A-HJKMNP-TW-Z2-9]{4}$/);
    expect(new Set(sale.giftCards.map((card) => card.code)).size).toBe(3);
    const rows = store.all(sql.selectFrom('gift_cards').select(['code', 'value', 'status', 'customer_id', 'order_id']).orderBy('code'));
    expect(rows).toEqual(
      sale.giftCards
        .map((card) => ({ code: card.code, value: card.value, status: 'active', customer_id: anna, order_id: sale.orderId }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    );
    expect(auditRows(store).filter((row) => row.entity === 'gift_card')).toHaveLength(3);
    // The card's order detail shows the codes, so staff can read them back to the customer.
    const card = expectOk(await core.invoke('customers.card', { customerId: anna }));
    const codes = sale.giftCards.map((giftCard) => giftCard.code).sort();
    expect(card.orders.find((order) => order.id === sale.orderId)?.giftCards).toEqual(
      codes.map((code) => ({ code, value: 5000, status: 'active' })),
    );

    expectOk(await core.invoke('orders.delete', { orderId: sale.orderId }));
    expect(store.all(sql.selectFrom('gift_cards').select('status').distinct())).toEqual([{ status: 'canceled' }]);
    const afterDelete = expectOk(await core.invoke('customers.card', { customerId: anna, deletedOrders: true }));
    expect(afterDelete.orders.find((order) => order.id === sale.orderId)?.giftCards.map((giftCard) => giftCard.status)).toEqual(['canceled', 'canceled', 'canceled']);
  });

  it('a product is handed over: the order line records it, and it counts against its capacity', async () => {
    const { core, store, anna, item } = setup();
    const shirt = item({ kind: 'product', name: 'Festival T-shirt', price: 2500, capacity: 100 });
    const error = expectError(
      await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: shirt, quantity: 100 }, { catalogItemId: shirt, quantity: 1 }], amountPaid: 1000000 }),
      'CONFLICT',
      'items.0.quantity',
    );
    expect(error.message).toBe('Only 100 left of Festival T-shirt');
    // A quantity above the per-line maximum is an error at that line, never cut down to it.
    expectError(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: shirt, quantity: 5000 }], amountPaid: 0, reserve: true }), 'VALIDATION', 'items.0.quantity');
    const sale = expectOk(await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: shirt, quantity: 3 }], amountPaid: 7500 }));
    expect(sale).toMatchObject({ items: [{ description: 'Festival T-shirt', quantity: 3, unitPrice: 2500 }], tickets: [], giftCards: [] });
    expect(store.first(sql.selectFrom('order_items').select('quantity').where('order_id', '=', sale.orderId))).toEqual({ quantity: 3 });
  });

  it('refuses items that would deliver nothing, naming the line and the reason, for a reservation too', async () => {
    const { core, store, anna, catalog, item } = setup();
    const cases = [
      [item({ kind: 'pack', name: 'Empty pack', price: 1000 }), 'Empty pack cannot be sold: Its contents are not set, so a sale would issue nothing.'],
      [item({ kind: 'access', name: 'Pit access', price: 1000 }), 'Pit access cannot be sold: No ticket type is set for it, so a sale would issue no ticket.'],
      [item({ kind: 'subscription', name: '2027 pass', price: 14900 }), '2027 pass cannot be sold: No ticket type is set for it, so a sale would issue no ticket.'],
      [item({ kind: 'credit', name: 'Credits ?', price: 1000 }), 'Credits ? cannot be sold: No amount is set for it, so a sale would put nothing on the balance.'],
      [item({ kind: 'gift_card', name: 'Free card', price: 0 }), 'Free card cannot be sold: It has no value, so a sale would issue an empty gift card.'],
    ] as const;
    const nested = item({ kind: 'pack', name: 'Pack of packs', price: 1000 });
    insertPackContent(store, nested, cases[0][0], 1);
    const broken = item({ kind: 'pack', name: 'Pit pack', price: 1000 });
    insertPackContent(store, broken, catalog.ticket, 1);
    insertPackContent(store, broken, cases[1][0], 1);
    const before = snapshot(store);
    for (const [id, message] of [
      ...cases,
      [nested, 'Pack of packs cannot be sold: It contains another pack (Empty pack); a pack holds tickets, credits and other items only.'],
      [broken, 'Pit pack cannot be sold: It contains Pit access, which cannot be sold: No ticket type is set for it, so a sale would issue no ticket.'],
    ] as const) {
      for (const reserve of [false, true]) {
        const error = expectError(
          await core.invoke('orders.create', { customerId: anna, items: [{ catalogItemId: catalog.credits25, quantity: 1 }, { catalogItemId: id, quantity: 1 }], amountPaid: 100000, reserve }),
          'VALIDATION',
          'items.1.catalogItemId',
        );
        expect(error.message).toBe(message);
      }
    }
    expect(snapshot(store)).toEqual(before);
    const listed = expectOk(await core.invoke('catalog.list', {})).items;
    expect(listed.find((entry) => entry.id === cases[1][0])!.notSellableReason).toBe('No ticket type is set for it, so a sale would issue no ticket.');
  });
});
