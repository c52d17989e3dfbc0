import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { Store } from '../../db/store.ts';
import { createCore } from '../../core/api/core.ts';
import { DomainError } from '../../core/errors.ts';
import { snapshot } from '../../test/fixtures/store.ts';
import { seedSyntheticEvent, type SyntheticEventOptions } from './synthetic-event.ts';

const small: SyntheticEventOptions = { customers: 300, tickets: 450, tags: 260, seed: 7 };

function seeded(options: SyntheticEventOptions = small) {
  const store = new Store(openDatabase(':memory:'));
  const summary = seedSyntheticEvent(store, options);
  return { store, summary };
}

const rows = <T>(store: Store, query: string, ...params: unknown[]) => store.db.prepare(query).all(...params) as T[];
const value = (store: Store, query: string) => Object.values(store.db.prepare(query).get() as Record<string, unknown>)[0];

describe('seedSyntheticEvent', () => {
  it('writes exactly the requested customers, tickets and tags', () => {
    const { store, summary } = seeded();
    expect(value(store, 'SELECT count(*) FROM customers')).toBe(300);
    expect(value(store, 'SELECT count(*) FROM tickets')).toBe(450);
    expect(value(store, 'SELECT count(*) FROM tags')).toBe(260);
    expect(summary).toMatchObject({ customers: 300, tickets: 450, tags: 260, eventName: 'Zomerlicht Festival 2026' });
    expect(value(store, 'SELECT count(*) FROM events')).toBe(1);
    expect(value(store, 'SELECT count(*) FROM ticket_types')).toBeGreaterThanOrEqual(4);
    expect(value(store, 'SELECT count(*) FROM ticket_types')).toBeLessThanOrEqual(6);
    expect(rows<{ name: string }>(store, 'SELECT name FROM gates ORDER BY name').map((gate) => gate.name)).toEqual(['Main entrance', 'North gate', 'VIP entrance']);
    expect(rows<{ kind: string }>(store, 'SELECT DISTINCT kind FROM catalog_items ORDER BY kind').map((item) => item.kind)).toEqual([
      'access',
      'credit',
      'gift_card',
      'pack',
      'product',
      'subscription',
      'ticket',
      'token',
      'virtual_credit',
    ]);
  });

  it('is deterministic: the same options give identical rows, another seed different ones', () => {
    const first = seeded().store;
    const second = seeded().store;
    expect(snapshot(second)).toEqual(snapshot(first));
    const other = seeded({ ...small, seed: 8 }).store;
    expect(snapshot(other).customers).not.toEqual(snapshot(first).customers);
  });

  it('keeps foreign keys, unique rules and indexes intact, and writes no audit or outbox rows', () => {
    const { store } = seeded();
    const indexesOf = (s: Store) => rows<{ name: string; sql: string }>(s, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name");
    const empty = new Store(openDatabase(':memory:'));
    expect(indexesOf(store)).toEqual(indexesOf(empty));
    expect(rows(store, 'PRAGMA foreign_key_check')).toEqual([]);
    expect(value(store, 'PRAGMA foreign_keys')).toBe(1);
    expect(value(store, 'SELECT count(*) FROM audit_log')).toBe(0);
    expect(value(store, 'SELECT count(*) FROM outbox')).toBe(0);
    expect(value(store, 'SELECT count(*) - count(DISTINCT email) FROM customers WHERE email IS NOT NULL')).toBe(0);
  });

  it('gives realistic customers: accents, anonymous ones, verified and not, labels, notes, alternative e-mails, web users', () => {
    const { store } = seeded({ customers: 2000, tickets: 3000, tags: 1600, seed: 1 });
    const names = rows<{ name: string }>(store, "SELECT first_name || ' ' || last_name AS name FROM customers WHERE first_name IS NOT NULL").map((row) => row.name);
    expect(names.some((name) => /[^\x20-\x7e]/.test(name))).toBe(true);
    expect(value(store, 'SELECT count(*) FROM customers WHERE email IS NULL AND first_name IS NULL AND last_name IS NULL')).toBeGreaterThan(0);
    expect(value(store, "SELECT count(DISTINCT verification_status) FROM customers")).toBe(2);
    expect(value(store, 'SELECT count(*) FROM customer_labels')).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM customers WHERE description IS NOT NULL')).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM customer_emails')).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM customers WHERE web_user_id IS NOT NULL')).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(DISTINCT country) FROM customers')).toBeGreaterThan(5);
    // Synthetic addresses use reserved example domains only.
    expect(value(store, "SELECT count(*) FROM customers WHERE email IS NOT NULL AND email NOT LIKE '%.example' AND email NOT LIKE '%@example.___'")).toBe(0);
  });

  it('gives tickets every state and well-formed references', () => {
    const { store } = seeded({ customers: 2000, tickets: 3000, tags: 1600, seed: 1 });
    const references = rows<{ reference: string }>(store, 'SELECT reference FROM tickets').map((row) => row.reference);
    expect(references.every((reference) => /^BO-[0-9A-Z]{10}$/.test(reference))).toBe(true);
    expect(rows<{ invalid_reason: string }>(store, 'SELECT DISTINCT invalid_reason FROM tickets WHERE invalid_reason IS NOT NULL ORDER BY 1').map((row) => row.invalid_reason)).toEqual([
      'canceled',
      'refunded',
      'transferred',
    ]);
    expect(value(store, 'SELECT count(*) FROM tickets WHERE customer_id IS NULL')).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM tickets WHERE redeemed = 1')).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM tickets WHERE banned = 1')).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM (SELECT customer_id FROM tickets WHERE customer_id IS NOT NULL GROUP BY customer_id HAVING count(*) > 1)')).toBeGreaterThan(0);
    // Used tickets have their scans, and the ticket's first/last scan agree with them.
    expect(value(store, 'SELECT count(*) FROM tickets WHERE first_scan_at IS NOT NULL')).toBeGreaterThan(0);
    expect(
      value(
        store,
        `SELECT count(*) FROM tickets AS t WHERE t.last_scan_at IS NOT NULL
           AND t.last_scan_at <> (SELECT max(scanned_at) FROM scans AS s WHERE s.ticket_id = t.id)`,
      ),
    ).toBe(0);
    expect(
      value(
        store,
        `SELECT count(*) FROM tickets AS t WHERE t.first_scan_at IS NOT NULL AND t.first_scan_at <>
           (SELECT min(scanned_at) FROM scans AS s WHERE s.ticket_id = t.id AND s.verdict = 'admitted')`,
      ),
    ).toBe(0);
  });

  it('gives each customer with tags exactly one active tag, with 7-byte NXP UIDs', () => {
    const { store } = seeded();
    expect(
      value(store, 'SELECT count(*) FROM (SELECT customer_id FROM tags GROUP BY customer_id HAVING sum(active) <> 1)'),
    ).toBe(0);
    const uids = rows<{ uid: string }>(store, 'SELECT uid FROM tags').map((row) => row.uid);
    expect(uids.every((uid) => /^04[0-9A-F]{12}$/.test(uid))).toBe(true);
    expect(new Set(uids).size).toBe(uids.length);
    expect(value(store, "SELECT count(*) FROM tags WHERE active = 0 AND inactive_reason = 'replaced'")).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM tags WHERE banned = 1')).toBeGreaterThan(0);
  });

  it('keeps every customer holding a ticket or a tag when there are enough of them', () => {
    const { store } = seeded();
    expect(
      value(
        store,
        `SELECT count(*) FROM customers AS c WHERE NOT EXISTS (SELECT 1 FROM tickets AS t WHERE t.customer_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM tags AS g WHERE g.customer_id = c.id)`,
      ),
    ).toBe(0);
  });

  it("keeps customers' total spent and order count equal to their orders, and balances non-negative", () => {
    const { store } = seeded({ customers: 2000, tickets: 3000, tags: 1600, seed: 3 });
    expect(
      value(
        store,
        `SELECT count(*) FROM customers AS c WHERE c.total_spent <>
           (SELECT coalesce(sum(o.total), 0) FROM orders AS o WHERE o.customer_id = c.id AND o.deleted_at IS NULL AND o.status = 'paid')
         OR c.order_count <> (SELECT count(*) FROM orders AS o WHERE o.customer_id = c.id AND o.deleted_at IS NULL
           AND o.status NOT IN ('reserved', 'expired', 'canceled'))`,
      ),
    ).toBe(0);
    expect(value(store, 'SELECT count(*) FROM (SELECT customer_id, kind FROM ledger_entries GROUP BY customer_id, kind HAVING sum(amount) < 0)')).toBe(0);
    expect(rows<{ kind: string }>(store, 'SELECT DISTINCT kind FROM ledger_entries ORDER BY kind').map((row) => row.kind)).toEqual(['credit', 'token', 'virtual_credit']);
    expect(rows<{ channel: string }>(store, 'SELECT DISTINCT channel FROM orders ORDER BY 1').map((row) => row.channel)).toEqual(['box_office', 'online']);
    expect(value(store, 'SELECT count(*) FROM orders WHERE deleted_at IS NOT NULL')).toBeGreaterThan(0);
    expect(value(store, "SELECT count(*) FROM orders WHERE status = 'reserved'")).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM orders WHERE customer_id IS NULL')).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM orders AS o WHERE NOT EXISTS (SELECT 1 FROM order_items AS i WHERE i.order_id = o.id)')).toBe(0);
    expect(value(store, 'SELECT count(*) FROM orders AS o WHERE NOT EXISTS (SELECT 1 FROM order_status_history AS h WHERE h.order_id = o.id)')).toBe(0);
    expect(value(store, 'SELECT count(*) FROM orders AS o WHERE o.total <> (SELECT sum(quantity * unit_price) FROM order_items AS i WHERE i.order_id = o.id)')).toBe(0);
  });

  it('indexes customers for search like the commands do (accent-insensitive names, e-mails)', async () => {
    const { store } = seeded();
    const customer = store.db.prepare("SELECT id, email, last_name FROM customers WHERE email IS NOT NULL AND last_name NOT LIKE '% %' LIMIT 1").get() as {
      id: string;
      email: string;
      last_name: string;
    };
    const core = createCore({ store });
    const byEmail = await core.invoke('customers.search', { query: customer.email });
    expect(byEmail.ok && byEmail.value.results[0]?.customerId).toBe(customer.id);
    const byName = await core.invoke('customers.search', { query: customer.last_name.normalize('NFD').replace(/\p{M}/gu, ''), limit: 100 });
    expect(byName.ok && byName.value.results.some((result) => result.customerId === customer.id)).toBe(true);
  });

  it('derives who is inside from the scans it writes, as check-in would', () => {
    const { store } = seeded();
    const admittedEntries = value(
      store,
      "SELECT count(DISTINCT ticket_id) FROM scans WHERE verdict = 'admitted' AND direction = 'entry' AND ticket_id IS NOT NULL AND tag_id IS NULL",
    );
    expect(admittedEntries).toBeGreaterThan(0);
    expect(value(store, 'SELECT count(*) FROM tickets WHERE entry_count > 0')).toBe(admittedEntries);
    expect(value(store, 'SELECT count(*) FROM tickets WHERE inside_since IS NOT NULL')).toBeGreaterThan(0);
  });

  it('refuses a store that already holds data, and changes nothing', () => {
    const { store } = seeded();
    const before = snapshot(store);
    expect(() => seedSyntheticEvent(store, small)).toThrow(DomainError);
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses impossible options before writing anything', () => {
    const store = new Store(openDatabase(':memory:'));
    const before = snapshot(store);
    expect(() => seedSyntheticEvent(store, { ...small, customers: -1 })).toThrow(/customers/);
    expect(() => seedSyntheticEvent(store, { ...small, tickets: 1.5 })).toThrow(/tickets/);
    expect(() => seedSyntheticEvent(store, { customers: 0, tickets: 0, tags: 5, seed: 1 })).toThrow(/tags/);
    expect(snapshot(store)).toEqual(before);
  });
});

describe('the demo mark', () => {
  it('tells the core the folder holds the synthetic festival', async () => {
    const { store } = seeded({ customers: 20, tickets: 30, tags: 10, seed: 3 });
    const core = createCore({ store });
    const overview = await core.invoke('events.dataFolder', {});
    expect(overview).toEqual({ ok: true, value: { demo: true, empty: false, events: 1 } });
  });
});
