import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CustomerListRow, CustomerSearchResult } from '../api/operations.ts';
import { createFakeHost, ok, settle, type FakeHost } from '../test-support/fake-host.ts';
import { createCustomersListStore, isSearching, listRowAt, selectedCustomerId, shownRowCount } from './customers-list-store.ts';

const total = 500_000;

function listRow(index: number): CustomerListRow {
  return {
    customerId: `c-${index}`,
    name: `Customer ${index}`,
    email: null,
    phone: null,
    verificationStatus: 'non_verified',
    totalSpent: index,
    orderCount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function result(customerId: string, name: string): CustomerSearchResult {
  return { customerId, name, email: null, phone: null, verificationStatus: 'verified', totalSpent: 0, matchedBy: 'name', matchedValue: name };
}

function listHost(): FakeHost {
  return createFakeHost({
    'events.list': () => ok({ events: [{ id: 'e-1', name: 'Fest', startsAt: null, endsAt: null, timeZone: 'Europe/Amsterdam', currency: 'SEK' }] }),
    'customers.list': (input) => {
      const { offset, limit } = input as { offset: number; limit: number };
      const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => listRow(offset + i));
      return ok({ total, rows });
    },
    'customers.search': (input) => ok({ results: [result('c-s', `match ${(input as { query: string }).query}`)] }),
  });
}

describe('customers list store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads the first page and the event currency at once, without a query', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client);
    await settle();
    const state = store.getState();
    expect(state.total).toBe(total);
    expect(state.currency).toBe('SEK');
    expect(host.callsTo('customers.list')).toEqual([{ status: 'all', sort: 'name', direction: 'asc', offset: 0, limit: 100 }]);
    expect(listRowAt(state, 99, 100)?.customerId).toBe('c-99');
    expect(shownRowCount(state)).toBe(total);
  });

  it('fetches only the pages of the visible range, once, after scrolling settles', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client);
    await settle();
    // A fast scroll passes many ranges; only where it stops is loaded.
    store.getState().showRange(10_000, 10_040);
    store.getState().showRange(250_000, 250_040);
    store.getState().showRange(499_950, 499_999);
    await vi.advanceTimersByTimeAsync(100);
    const offsets = host.callsTo('customers.list').map((input) => (input as { offset: number }).offset);
    expect(offsets).toEqual([0, 499_900]);
    expect(listRowAt(store.getState(), 499_999, 100)?.customerId).toBe('c-499999');
    store.getState().showRange(499_950, 499_999);
    await vi.advanceTimersByTimeAsync(100);
    expect(host.callsTo('customers.list')).toHaveLength(2);
  });

  it('a range spanning two pages loads both, and never a page past the end', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client);
    await settle();
    store.getState().showRange(180, 230);
    await vi.advanceTimersByTimeAsync(100);
    store.getState().showRange(499_990, 500_400);
    await vi.advanceTimersByTimeAsync(100);
    const offsets = host.callsTo('customers.list').map((input) => (input as { offset: number }).offset);
    expect(offsets).toEqual([0, 100, 200, 499_900]);
  });

  it('keeps a bounded number of pages in memory, the nearest to the viewport', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client, { maxPages: 3 });
    await settle();
    for (const start of [1000, 2000, 3000, 4000]) {
      store.getState().showRange(start, start + 40);
      await vi.advanceTimersByTimeAsync(100);
    }
    const pages = Object.keys(store.getState().pages).map(Number).sort((a, b) => a - b);
    expect(pages).toEqual([20, 30, 40]);
  });

  it('searches once per pause in typing (debounced), with the text as typed', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client);
    await settle();
    for (const text of ['a', 'an', 'ann', 'anna']) {
      store.getState().setQuery(text);
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(store.getState().search.phase).toBe('waiting');
    expect(host.callsTo('customers.search')).toEqual([]);
    await vi.advanceTimersByTimeAsync(120);
    expect(host.callsTo('customers.search')).toEqual([{ query: 'anna', limit: 50 }]);
    expect(isSearching(store.getState())).toBe(true);
    expect(store.getState().search.results.map((row) => row.name)).toEqual(['match anna']);
    expect(selectedCustomerId(store.getState(), 100)).toBe('c-s');
  });

  it('ignores a slow answer to an older query that arrives after the newer one', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client);
    await settle();
    const slow = host.hold('customers.search');
    store.getState().setQuery('an');
    await vi.advanceTimersByTimeAsync(130);
    await slow.started;
    store.getState().setQuery('anna');
    await vi.advanceTimersByTimeAsync(130);
    expect(store.getState().search.results.map((row) => row.name)).toEqual(['match anna']);
    slow.resolve(ok({ results: [result('c-old', 'stale')] }));
    await settle();
    expect(store.getState().search.results.map((row) => row.name)).toEqual(['match anna']);
    expect(store.getState().search.forQuery).toBe('anna');
  });

  it('an answer to the text before a keystroke, arriving during the debounce, is not shown as done', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client);
    await settle();
    const slow = host.hold('customers.search');
    store.getState().setQuery('an');
    await vi.advanceTimersByTimeAsync(130);
    await slow.started;
    store.getState().setQuery('anna');
    slow.resolve(ok({ results: [result('c-old', 'stale')] }));
    await settle();
    expect(store.getState().search.phase).toBe('waiting');
    expect(store.getState().search.results).toEqual([]);
    await vi.advanceTimersByTimeAsync(130);
    expect(store.getState().search).toMatchObject({ phase: 'done', forQuery: 'anna' });
    expect(store.getState().search.results.map((row) => row.name)).toEqual(['match anna']);
  });

  it('Enter runs a pending search at once (a barcode scanner types and presses Enter)', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client);
    await settle();
    store.getState().setQuery('BO-123');
    await store.getState().flushSearch();
    expect(host.callsTo('customers.search')).toEqual([{ query: 'BO-123', limit: 50 }]);
    expect(selectedCustomerId(store.getState(), 100)).toBe('c-s');
    await vi.advanceTimersByTimeAsync(500);
    expect(host.callsTo('customers.search')).toHaveLength(1);
  });

  it('clearing the query goes back to the list and drops an answer still on its way', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client);
    await settle();
    const slow = host.hold('customers.search');
    store.getState().setQuery('anna');
    await vi.advanceTimersByTimeAsync(130);
    await slow.started;
    store.getState().setQuery('  ');
    slow.resolve(ok({ results: [result('c-late', 'late')] }));
    await settle();
    const state = store.getState();
    expect(isSearching(state)).toBe(false);
    expect(state.search.phase).toBe('idle');
    expect(state.search.results).toEqual([]);
    expect(shownRowCount(state)).toBe(total);
  });

  it('shows the host message when a search is refused', async () => {
    const host = listHost();
    host.answer('customers.search', () => ({ ok: false, error: { code: 'VALIDATION', message: 'query: Search text is longer than 200 characters', field: 'query' } }));
    const store = createCustomersListStore(host.client);
    await settle();
    store.getState().setQuery('x'.repeat(300));
    await vi.advanceTimersByTimeAsync(130);
    expect(store.getState().search.error).toBe('query: Search text is longer than 200 characters');
    expect(store.getState().search.results).toEqual([]);
  });

  it('filter and sort reload from the first page and ignore pages of the old order', async () => {
    const host = listHost();
    const store = createCustomersListStore(host.client);
    await settle();
    const old = host.hold('customers.list');
    store.getState().showRange(5000, 5040);
    await vi.advanceTimersByTimeAsync(100);
    await old.started;
    store.getState().setStatusFilter('verified');
    old.resolve(ok({ total, rows: [listRow(-1)] }));
    await settle();
    expect(store.getState().pages[50]).toBeUndefined();
    expect(host.callsTo('customers.list').at(-1)).toEqual({ status: 'verified', sort: 'name', direction: 'asc', offset: 0, limit: 100 });

    store.getState().sortBy('total_spent');
    await settle();
    expect(host.callsTo('customers.list').at(-1)).toMatchObject({ sort: 'total_spent', direction: 'desc', offset: 0 });
    store.getState().sortBy('total_spent');
    await settle();
    expect(host.callsTo('customers.list').at(-1)).toMatchObject({ sort: 'total_spent', direction: 'asc' });
    store.getState().sortBy('name');
    await settle();
    expect(host.callsTo('customers.list').at(-1)).toMatchObject({ sort: 'name', direction: 'asc' });
  });

  it('moves the selection within the rows shown', async () => {
    const host = listHost();
    host.answer('customers.search', () => ok({ results: [result('c-a', 'A'), result('c-b', 'B'), result('c-c', 'C')] }));
    const store = createCustomersListStore(host.client);
    await settle();
    store.getState().setQuery('x');
    await store.getState().flushSearch();
    store.getState().moveSelection(1);
    store.getState().moveSelection(5);
    expect(selectedCustomerId(store.getState(), 100)).toBe('c-c');
    store.getState().moveSelection(-10);
    expect(store.getState().selectedIndex).toBe(0);
    store.getState().select(7);
    expect(store.getState().selectedIndex).toBe(0);
    store.getState().select(1);
    expect(selectedCustomerId(store.getState(), 100)).toBe('c-b');
  });

  it('keeps the list error from the host', async () => {
    const host = listHost();
    host.answer('customers.list', () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'Box Office is not reachable right now' } }));
    const store = createCustomersListStore(host.client);
    await settle();
    expect(store.getState().listError).toBe('Box Office is not reachable right now');
    expect(store.getState().total).toBeNull();
  });
});
