import { beforeEach, describe, expect, it } from 'vitest';
import { sortName } from './search-index.ts';
import type { Store } from '../../db/store.ts';
import { createTestCore, insertEvent, insertOrder, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { invokeError, invokeOk, planOf, recordStatements, updateCustomerRow } from '../../test/fixtures/customer-reads.ts';
import { compareSortKeys, countCustomers } from './list.ts';
import { customerListSorts } from './customers.contract.ts';

type TestCore = ReturnType<typeof createTestCore>;
type Core = TestCore['core'];

interface Seeded {
  id: string;
  /** customers.search_rowid: the row key that breaks ties in every sort. */
  rowid: number;
  name: string | null;
  sortName: string;
  createdAt: string;
  totalSpent: number;
  status: 'verified' | 'non_verified';
  deleted: boolean;
}

const statuses = ['all', 'verified', 'non_verified'] as const;
const directions = ['asc', 'desc'] as const;

/** What a page must hold, computed independently of the query under test. */
function expectedOrder(customers: Seeded[], status: string, sort: string, direction: 'asc' | 'desc'): string[] {
  const key = (customer: Seeded) =>
    sort === 'name' ? customer.sortName : sort === 'created' ? customer.createdAt : customer.totalSpent;
  return customers
    .filter((customer) => !customer.deleted && (status === 'all' || customer.status === status))
    .sort((a, b) => {
      const order = compareSortKeys({ key: key(a), status: a.status, rowid: a.rowid }, { key: key(b), status: b.status, rowid: b.rowid });
      return direction === 'asc' ? order : -order;
    })
    .map((customer) => customer.id);
}

async function listAll(core: Core, options: { status: string; sort: string; direction: 'asc' | 'desc' }, pageSize: number) {
  const ids: string[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await invokeOk(core, 'customers.list', { ...options, offset, limit: pageSize } as never);
    ids.push(...page.rows.map((row) => row.customerId));
    if (page.rows.length < pageSize) return ids;
  }
}

function rowidOf(store: Store, id: string): number {
  return (store.db.prepare('SELECT search_rowid FROM customers WHERE id = ?').get(id) as { search_rowid: number }).search_rowid;
}

function seed(store: Store, count: number): Seeded[] {
  const eventId = insertEvent(store);
  const firstNames = ['Anna', 'Bert', 'Zoë', 'Émile', 'cora', null];
  const lastNames = ['Berg', 'Ångström', 'de Vries', 'Bakker', 'berg', null];
  const seeded: Seeded[] = [];
  for (let index = 0; index < count; index++) {
    const first = firstNames[index % firstNames.length]!;
    const last = lastNames[(index * 7) % lastNames.length]!;
    const email = first || last ? `c${index}@example.com` : null;
    const id = insertTestCustomer(store, { first_name: first, last_name: last, email });
    const createdAt = `2026-0${1 + (index % 5)}-01T00:00:00.000Z`;
    const status = index % 3 === 0 ? 'verified' : 'non_verified';
    updateCustomerRow(store, id, { created_at: createdAt, verification_status: status });
    const totalSpent = (index % 4) * 1500;
    if (totalSpent > 0) insertOrder(store, { eventId, customerId: id, number: `N${index}`, total: totalSpent });
    const name = [first, last].filter(Boolean).join(' ') || null;
    seeded.push({ id, rowid: rowidOf(store, id), name, sortName: sortName({ first_name: first || null, last_name: last || null, email }), createdAt, totalSpent, status, deleted: false });
  }
  return seeded;
}

describe('customers.list', () => {
  let store: Store;
  let core: Core;
  let customers: Seeded[];

  beforeEach(() => {
    ({ store, core } = createTestCore());
    customers = seed(store, 40);
  });

  it('lists live customers by name with defaults, anonymous ones last with name null', async () => {
    const page = await invokeOk(core, 'customers.list', {});
    expect(page.total).toBe(40);
    expect(page.rows.map((row) => row.customerId)).toEqual(expectedOrder(customers, 'all', 'name', 'asc'));
    const anonymous = page.rows.at(-1)!;
    expect(anonymous.name).toBeNull();
    expect(anonymous.email).toBeNull();
    const anna = page.rows.find((row) => row.name === 'Anna Berg')!;
    expect(anna).toMatchObject({ verificationStatus: expect.any(String), orderCount: expect.any(Number), createdAt: expect.any(String) });
    const seeded = customers.find((customer) => customer.id === anna.customerId)!;
    expect(anna.totalSpent).toBe(seeded.totalSpent);
    expect(anna.orderCount).toBe(seeded.totalSpent > 0 ? 1 : 0);
  });

  for (const status of statuses) {
    for (const sort of customerListSorts) {
      for (const direction of directions) {
        it(`pages through status ${status}, sorted by ${sort} ${direction}`, async () => {
          const expected = expectedOrder(customers, status, sort, direction);
          expect(await listAll(core, { status, sort, direction }, 7)).toEqual(expected);
          const page = await invokeOk(core, 'customers.list', { status, sort, direction, limit: 500 });
          expect(page.total).toBe(expected.length);
        });
      }
    }
  }

  it('filters by verification status', async () => {
    const verified = await invokeOk(core, 'customers.list', { status: 'verified', limit: 500 });
    expect(verified.total).toBe(customers.filter((customer) => customer.status === 'verified').length);
    expect(verified.rows.every((row) => row.verificationStatus === 'verified')).toBe(true);
    const others = await invokeOk(core, 'customers.list', { status: 'non_verified', limit: 500 });
    expect(others.rows.every((row) => row.verificationStatus === 'non_verified')).toBe(true);
    expect(verified.total + others.total).toBe(40);
  });

  it('handles paging boundaries: last row, exactly the end, and beyond the total', async () => {
    const all = expectedOrder(customers, 'all', 'name', 'asc');
    expect((await invokeOk(core, 'customers.list', { offset: 39, limit: 10 })).rows.map((row) => row.customerId)).toEqual([all[39]]);
    expect(await invokeOk(core, 'customers.list', { offset: 40 })).toEqual({ total: 40, rows: [] });
    expect(await invokeOk(core, 'customers.list', { offset: 10_000 })).toEqual({ total: 40, rows: [] });
    expect((await invokeOk(core, 'customers.list', { limit: 1 })).rows).toHaveLength(1);
  });

  describe('with deleted customers', () => {
    beforeEach(() => {
      for (const [index, customer] of customers.entries()) {
        if (index % 5 === 1 || index === 0) {
          customer.deleted = true;
          updateCustomerRow(store, customer.id, { deleted_at: '2026-05-02T00:00:00.000Z' });
        }
      }
    });

    it('leaves them out of the rows and the total', async () => {
      const page = await invokeOk(core, 'customers.list', { limit: 500 });
      const deleted = customers.filter((customer) => customer.deleted).map((customer) => customer.id);
      expect(deleted.length).toBeGreaterThan(5);
      expect(page.total).toBe(40 - deleted.length);
      expect(page.rows.map((row) => row.customerId)).not.toEqual(expect.arrayContaining([deleted[0]]));
    });

    for (const status of statuses) {
      for (const sort of customerListSorts) {
        for (const direction of directions) {
          it(`pages exactly through status ${status}, sorted by ${sort} ${direction}`, async () => {
            const expected = expectedOrder(customers, status, sort, direction);
            for (const pageSize of [1, 3, 8]) {
              expect(await listAll(core, { status, sort, direction }, pageSize)).toEqual(expected);
            }
            expect((await invokeOk(core, 'customers.list', { status, sort, direction, offset: expected.length })).rows).toEqual([]);
          });
        }
      }
    }
  });

  it('recounts after the data changes', async () => {
    expect(countCustomers(store, 'all').live).toBe(40);
    insertTestCustomer(store, { first_name: 'New' });
    expect((await invokeOk(core, 'customers.list', {})).total).toBe(41);
    updateCustomerRow(store, customers[3]!.id, { deleted_at: '2026-05-02T00:00:00.000Z' });
    expect(countCustomers(store, 'all')).toEqual({ live: 40, deleted: 1 });
  });

  it('refuses bad paging or filters and changes nothing', async () => {
    const before = snapshot(store);
    expect(await invokeError(core, 'customers.list', { status: 'gold' })).toMatchObject({ code: 'VALIDATION', field: 'status' });
    expect(await invokeError(core, 'customers.list', { sort: 'email' })).toMatchObject({ field: 'sort' });
    expect(await invokeError(core, 'customers.list', { direction: 'up' })).toMatchObject({ field: 'direction' });
    expect(await invokeError(core, 'customers.list', { offset: -1 })).toMatchObject({ field: 'offset' });
    expect(await invokeError(core, 'customers.list', { limit: 0 })).toMatchObject({ field: 'limit' });
    expect(await invokeError(core, 'customers.list', { limit: 501 })).toMatchObject({ field: 'limit' });
    expect(snapshot(store)).toEqual(before);
  });
});

describe('compareSortKeys', () => {
  it('orders text by code point like SQLite and numbers by value, then by status, then by row key', () => {
    const v = 'verified';
    expect(compareSortKeys({ key: 'a', status: v, rowid: 1 }, { key: 'b', status: v, rowid: 0 })).toBe(-1);
    expect(compareSortKeys({ key: 9, status: v, rowid: 1 }, { key: 10, status: v, rowid: 0 })).toBe(-1);
    expect(compareSortKeys({ key: 'a', status: v, rowid: 2 }, { key: 'a', status: v, rowid: 1 })).toBe(1);
    expect(compareSortKeys({ key: 'a', status: 'non_verified', rowid: 2 }, { key: 'a', status: v, rowid: 1 })).toBe(-1);
    // U+1F600 is above U+FFFD in code points, though its first UTF-16 unit is below.
    expect(compareSortKeys({ key: '\u{1F600}', status: v, rowid: 1 }, { key: '\uFFFD', status: v, rowid: 1 })).toBe(1);
    expect(compareSortKeys({ key: 'ab', status: v, rowid: 1 }, { key: 'a', status: v, rowid: 1 })).toBe(1);
  });
});

describe('customers.list query plans', () => {
  for (const withDeleted of [false, true]) {
    it(`walks the sort indexes with no sort step${withDeleted ? ' when some customers are deleted' : ''}`, async () => {
      const { store, core } = createTestCore();
      const customers = seed(store, 2000);
      if (withDeleted) updateCustomerRow(store, customers[5]!.id, { deleted_at: '2026-05-02T00:00:00.000Z' });
      const statements = await recordStatements(store, async () => {
        for (const status of statuses) {
          for (const sort of customerListSorts) {
            for (const direction of directions) {
              await invokeOk(core, 'customers.list', { status, sort, direction, offset: 500, limit: 50 });
            }
          }
        }
      });
      const listQueries = statements.filter((text) => text.includes('"customers"'));
      expect(listQueries.length).toBeGreaterThanOrEqual(withDeleted ? 18 : 12);
      for (const text of listQueries) {
        const plan = planOf(store, text).join(' | ');
        expect(plan, text).not.toMatch(/TEMP B-TREE/);
        // Every access to customers goes through an index (the list indexes, or for counts the
        // smallest index / customers_deleted); never a read of the table in rowid order.
        expect(plan, text).toMatch(/(SCAN|SEARCH) customers USING (COVERING )?INDEX/);
        expect(plan, text).not.toMatch(/(SCAN|SEARCH) customers(?! USING)/);
        if (text.includes('order by')) expect(plan, text).toMatch(/INDEX customers_by_/);
      }
    });
  }
});
