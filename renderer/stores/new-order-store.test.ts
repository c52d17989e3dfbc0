import { describe, expect, it } from 'vitest';
import { createFakeHost, ok } from '../test-support/fake-host.ts';
import {
  createNewOrderStore,
  errorForCatalogItem,
  groupCatalog,
  lineProblems,
  orderTotal,
  paymentSummary,
  parseFlags,
  parseMoneyInput,
  unitsLeft,
  type CatalogItem,
} from './new-order-store.ts';

const item = (values: Partial<CatalogItem> & Pick<CatalogItem, 'id' | 'kind' | 'name' | 'price'>): CatalogItem => ({
  eventId: 'e-1',
  ledgerAmount: null,
  ticketTypeId: null,
  capacity: null,
  sold: 0,
  contents: [],
  notSellableReason: null,
  ...values,
});

const catalog: CatalogItem[] = [
  item({ id: 'tokens', kind: 'token', name: 'Drink tokens ×10', price: 3000, ledgerAmount: 10 }),
  item({ id: 'c50', kind: 'credit', name: 'Credits €50', price: 5000, ledgerAmount: 5000 }),
  item({ id: 'c25', kind: 'credit', name: 'Credits €25', price: 2500, ledgerAmount: 2500 }),
  item({ id: 'weekend', kind: 'ticket', name: 'Weekend ticket', price: 18900, ticketTypeId: 'tt-1' }),
  item({ id: 'backstage', kind: 'access', name: 'Backstage access', price: 5000, capacity: 200, sold: 198 }),
];

const created = {
  orderId: 'o-1',
  number: 'B000001',
  status: 'paid' as const,
  total: 23900,
  amountPaid: 23900,
  changeDue: 0,
  currency: 'EUR',
  items: [{ description: 'Credits €25', quantity: 2, unitPrice: 2500 }, { description: 'Weekend ticket', quantity: 1, unitPrice: 18900 }],
  tickets: [{ reference: 'B000001-1', ticketType: 'Weekend' }],
  giftCards: [],
};

function orderHost() {
  const reloads: string[] = [];
  const host = createFakeHost({
    'catalog.list': () => ok({ items: catalog }),
    'orders.create': () => ok(created),
  });
  const store = createNewOrderStore(host.client, {
    customerId: 'c-1',
    currency: 'EUR',
    onCreated: async (order) => {
      reloads.push(order.orderId);
    },
  });
  return { host, store, reloads };
}

describe('new order helpers', () => {
  it('groups the catalog by kind in the dialog order, items by name', () => {
    expect(groupCatalog(catalog).map((group) => [group.label, group.items.map((entry) => entry.id)])).toEqual([
      ['Tickets', ['weekend']],
      ['Accesses', ['backstage']],
      ['Credits', ['c25', 'c50']],
      ['Tokens', ['tokens']],
    ]);
  });

  it('adds price × quantity in minor units and tells units left', () => {
    expect(orderTotal(catalog, { c25: 2, tokens: 1 })).toBe(8000);
    expect(orderTotal(catalog, {})).toBe(0);
    expect(unitsLeft(catalog[4]!)).toBe(2);
    expect(unitsLeft(catalog[0]!)).toBeNull();
  });

  it('parses typed amounts as text into minor units, refusing what is not an amount', () => {
    expect(parseMoneyInput('12.50', 2)).toBe(1250);
    expect(parseMoneyInput('12,5', 2)).toBe(1250);
    expect(parseMoneyInput(' € 12 ', 2)).toBe(1200);
    expect(parseMoneyInput('0.10', 2)).toBe(10);
    expect(parseMoneyInput('1000', 0)).toBe(1000);
    expect(parseMoneyInput('12.345', 2)).toBeUndefined();
    expect(parseMoneyInput('-5', 2)).toBeUndefined();
    expect(parseMoneyInput('abc', 2)).toBeUndefined();
    expect(parseMoneyInput('', 2)).toBeUndefined();
  });

  it('splits flags on commas, dropping empty ones', () => {
    expect(parseFlags(' cash, walk-in ,, ')).toEqual(['cash', 'walk-in']);
    expect(parseFlags('')).toEqual([]);
  });
});

describe('new order store', () => {
  it('loads the catalog and keeps the amount paid equal to the total until staff type one', async () => {
    const { store } = orderHost();
    await store.getState().load();
    expect(store.getState()).toMatchObject({ phase: 'ready', amountPaidText: '0.00' });
    store.getState().setQuantity('c25', 2);
    store.getState().setQuantity('tokens', 1);
    expect(store.getState().amountPaidText).toBe('80.00');
    store.getState().setQuantity('tokens', 0);
    expect(store.getState().quantities).toEqual({ c25: 2 });
    expect(store.getState().amountPaidText).toBe('50.00');
    store.getState().setAmountPaid('60');
    store.getState().setQuantity('c50', 1);
    expect(store.getState().amountPaidText).toBe('60');
  });

  it('keeps a quantity above what is left as typed and shows the error at that line, sending nothing', async () => {
    const { host, store } = orderHost();
    await store.getState().load();
    store.getState().setQuantity('backstage', 5000);
    store.getState().setQuantity('c50', 500);
    store.getState().setQuantity('c25', 1.5);
    expect(store.getState().quantities).toEqual({ backstage: 5000, c50: 500, c25: 1.5 });
    expect(errorForCatalogItem(store.getState(), 'backstage')).toBe('Only 2 left of Backstage access');
    expect(errorForCatalogItem(store.getState(), 'c50')).toBe('Quantity must be at most 100');
    expect(errorForCatalogItem(store.getState(), 'c25')).toBe('Quantity must be a whole number');
    expect(await store.getState().submit(false)).toBeNull();
    expect(host.callsTo('orders.create')).toEqual([]);
    store.getState().setQuantity('backstage', 2);
    store.getState().setQuantity('c50', 0);
    store.getState().setQuantity('c25', 1);
    expect(lineProblems(store.getState().catalog, store.getState().quantities)).toEqual({});
  });

  it('shows the change due on an overpayment and what is missing on an underpayment', () => {
    expect(paymentSummary(88900, '1000.00', 2)).toEqual({ paid: 100000, changeDue: 11100, missing: 0 });
    expect(paymentSummary(88900, '800', 2)).toEqual({ paid: 80000, changeDue: 0, missing: 8900 });
    expect(paymentSummary(88900, 'abc', 2)).toEqual({ paid: undefined, changeDue: 0, missing: 0 });
  });

  it('refuses a line whose item cannot be sold, with the reason', async () => {
    const { store } = orderHost();
    const pack = item({ id: 'pack', kind: 'pack', name: 'Empty pack', price: 1000, notSellableReason: 'Its contents are not set, so a sale would issue nothing.' });
    expect(lineProblems([pack], { pack: 1 })).toEqual({ pack: 'Its contents are not set, so a sale would issue nothing.' });
    expect(store.getState().created).toBeUndefined();
  });

  it('sells: sends the chosen lines, the amount in minor units and the flags, then reloads the card', async () => {
    const { host, store, reloads } = orderHost();
    await store.getState().load();
    store.getState().setQuantity('c25', 2);
    store.getState().setQuantity('weekend', 1);
    store.getState().setFlags('cash, walk-in');
    expect(await store.getState().submit(false)).toEqual(created);
    expect(store.getState().created).toEqual(created);
    expect(host.callsTo('orders.create')).toEqual([
      {
        customerId: 'c-1',
        items: [
          { catalogItemId: 'c25', quantity: 2 },
          { catalogItemId: 'weekend', quantity: 1 },
        ],
        amountPaid: 23900,
        flags: ['cash', 'walk-in'],
        reserve: false,
      },
    ]);
    expect(reloads).toEqual(['o-1']);
    expect(store.getState().busy).toBe(false);
  });

  it('reserves unpaid whatever the amount field says', async () => {
    const { host, store } = orderHost();
    await store.getState().load();
    store.getState().setQuantity('c25', 1);
    store.getState().setAmountPaid('not money');
    await store.getState().submit(true);
    expect(host.callsTo('orders.create')).toMatchObject([{ amountPaid: 0, reserve: true }]);
  });

  it('refuses locally an empty order or an amount that is not money, calling nothing', async () => {
    const { host, store } = orderHost();
    await store.getState().load();
    expect(await store.getState().submit(false)).toBeNull();
    expect(store.getState().error).toMatchObject({ field: 'items' });
    store.getState().setQuantity('c25', 1);
    store.getState().setAmountPaid('12.345');
    expect(await store.getState().submit(false)).toBeNull();
    expect(store.getState().error).toMatchObject({ field: 'amountPaid', message: 'Amount paid must be an amount such as 12.50' });
    expect(host.callsTo('orders.create')).toEqual([]);
  });

  it("keeps the host's error at the catalog line it names, and does not reload", async () => {
    const { host, store, reloads } = orderHost();
    host.answer('orders.create', () => ({
      ok: false,
      error: { code: 'CONFLICT', message: 'Only 1 left of Backstage access', field: 'items.1.quantity' },
    }));
    await store.getState().load();
    store.getState().setQuantity('c25', 1);
    store.getState().setQuantity('backstage', 2);
    expect(await store.getState().submit(false)).toBeNull();
    const state = store.getState();
    expect(errorForCatalogItem(state, 'backstage')).toBe('Only 1 left of Backstage access');
    expect(errorForCatalogItem(state, 'c25')).toBeUndefined();
    expect(state.busy).toBe(false);
    expect(reloads).toEqual([]);
    store.getState().setQuantity('backstage', 1);
    expect(store.getState().error).toBeUndefined();
  });

  it('shows a catalog that cannot be read as an error', async () => {
    const { host, store } = orderHost();
    host.answer('catalog.list', () => ({ ok: false, error: { code: 'VALIDATION', message: 'This data folder holds several events: choose one with eventId', field: 'eventId' } }));
    await store.getState().load();
    expect(store.getState()).toMatchObject({ phase: 'error', error: { field: 'eventId' } });
  });
});
