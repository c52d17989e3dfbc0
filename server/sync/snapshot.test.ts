import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotPageSchema, type SnapshotPage, type SnapshotRequest } from '../../sync/protocol.ts';
import { openServerDatabase, type ServerDatabase } from '../db/database.ts';
import type { Clock } from '../../core/clock.ts';
import type { Device } from '../devices/enrolment.ts';
import { buildServerApp } from '../http/app.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { openSyncServer, protocolHeaders, seededServer, type SyncServer } from '../../test/fixtures/sync-server.ts';
import { currentVersions } from './pull.ts';
import { inScope, pulledTables, untyped, type Row } from './pulled-tables.ts';
import { snapshotPage as encodedPage, type PageLimits } from './snapshot.ts';
import { visibleTables } from './visible-rows.ts';

/**
 * The first load: a scope's rows at a fixed version V, table after table in primary-key order, in
 * pages that any server process answers alike; rows changed after V are left to the pull from V.
 */
/** A page as the terminal reads it, from the JSON the server writes. */
async function snapshotPage(db: ServerDatabase, clock: Clock, ...args: Parameters<typeof encodedPage> extends [unknown, ...infer Rest] ? Rest : never): Promise<SnapshotPage> {
  return snapshotPageSchema.parse(JSON.parse((await encodedPage(db, ...args)).json(clock.now().toISOString())));
}

/** A page's rows as objects of its columns. */
const rowObjects = (page: SnapshotPage): Row[] => page.rows.map((values) => Object.fromEntries(page.columns.map((column, at) => [column, values[at]])));

describe.each(serverStoreKinds)('snapshot on %s', (kind) => {
  let server: SyncServer;
  let eventId: string;
  let admin: { token: string; device: Device };

  beforeAll(async () => {
    server = await openSyncServer(kind);
    ({ eventId } = await seededServer(server.db));
    const enrolled = await server.enrol('admin');
    admin = { token: enrolled.token, device: await deviceOf(enrolled.deviceId) };
  }, 120_000);
  afterAll(() => server.close());

  const deviceOf = (id: string) => server.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** Every page of a scope's snapshot, following `next` from the first request. */
  async function loadScope(device: Device, scope: string, limits: PageLimits): Promise<{ pages: SnapshotPage[]; requests: SnapshotRequest[] }> {
    const pages: SnapshotPage[] = [];
    const requests: SnapshotRequest[] = [{ scope }];
    for (;;) {
      const page = await snapshotPage(server.db, server.clock, device, requests.at(-1)!, limits);
      pages.push(page);
      if (page.next === null) return { pages, requests };
      requests.push({ scope, version: page.version, table: page.next.table, ...(page.next.after === null ? {} : { after: page.next.after }) });
      expect(pages.length).toBeLessThan(1000);
    }
  }

  /** The scope's rows at `version` as the database orders them by primary key, per table. */
  async function rowsInKeyOrder(scope: string, version: number): Promise<Map<string, Row[]>> {
    const rows = new Map<string, Row[]>();
    for (const table of await pulledTables(server.db)) {
      const condition = inScope(table, scope);
      if (condition === null) continue;
      const query = untyped(server.db).selectFrom(table.name).selectAll().where(condition).where('server_version', '<=', version);
      rows.set(table.name, await table.key.reduce((ordered, column) => ordered.orderBy(column), query).execute());
    }
    return rows;
  }

  const rowsByTable = (pages: readonly SnapshotPage[]) => {
    const tables = new Map<string, Row[]>();
    for (const page of pages) tables.set(page.table, [...(tables.get(page.table) ?? []), ...rowObjects(page)]);
    return tables;
  };

  it.each(['', 'event'])('loads scope %j table after table, parents first, each in key order, in pages of a fixed version', async (which) => {
    const scope = which === '' ? '' : eventId;
    const { pages } = await loadScope(admin.device, scope, { rows: 37, bytes: 1 << 20 });
    const version = (await currentVersions(server.db, [scope]))[scope]!;
    expect(version).toBeGreaterThan(0);
    expect(new Set(pages.map((page) => page.version))).toEqual(new Set([version]));
    expect(pages.every((page) => page.rows.length <= 37)).toBe(true);
    const expected = await rowsInKeyOrder(scope, version);
    expect([...new Set(pages.map((page) => page.table))]).toEqual([...expected.keys()]);
    expect(rowsByTable(pages)).toEqual(expected);
    expect(pages.length).toBeGreaterThan(expected.size);
  });

  it("counts each table’s rows at V on a scope’s first page, and names on the first page of '' the events the device receives", async () => {
    const first = await snapshotPage(server.db, server.clock, admin.device, { scope: eventId });
    const expected = await rowsInKeyOrder(eventId, first.version);
    expect(first.totals).toEqual(Object.fromEntries([...expected].map(([table, rows]) => [table, rows.length])));
    expect(first.events).toBeUndefined();
    const everyEvent = await snapshotPage(server.db, server.clock, admin.device, { scope: '' });
    expect(everyEvent.events).toEqual([eventId]);
    const gate = await deviceOf((await server.enrol('gate', { eventId })).deviceId);
    const ofGate = await snapshotPage(server.db, server.clock, gate, { scope: '' });
    expect(ofGate.events).toEqual([eventId]);
    expect(Object.keys(ofGate.totals!)).not.toContain('customer_emails');
    // Later pages carry neither.
    const later = await snapshotPage(server.db, server.clock, admin.device, { scope: eventId, version: first.version, table: first.table });
    expect(later).not.toHaveProperty('totals');
    expect(later).not.toHaveProperty('events');
  });

  it('answers the same (version, table, after) with the same page, and stops a page at its bytes', async () => {
    const { pages, requests } = await loadScope(admin.device, eventId, { rows: 25, bytes: 1 << 20 });
    for (const index of [1, 5, pages.length - 1]) {
      expect(await snapshotPage(server.db, server.clock, admin.device, requests[index]!, { rows: 25, bytes: 1 << 20 })).toEqual(pages[index]);
    }
    const oneRowEach = await snapshotPage(server.db, server.clock, admin.device, { scope: eventId, table: 'tickets' }, { rows: 25, bytes: 1 });
    expect(oneRowEach.rows).toHaveLength(1);
    expect(oneRowEach.next).toEqual({ table: 'tickets', after: JSON.stringify([rowObjects(oneRowEach)[0]!.id]) });

    // Capped by bytes, a page holds the rows whose JSON fits, and the pages together every row once.
    const bytes = 3000;
    const capped = await loadScope(admin.device, eventId, { rows: 1000, bytes });
    expect(rowsByTable(capped.pages)).toEqual(rowsByTable(pages));
    for (const request of capped.requests.filter((_, index) => capped.pages[index]!.rows.length > 1)) {
      const json = (await encodedPage(server.db, admin.device, request, { rows: 1000, bytes })).json(server.clock.now().toISOString());
      // The rows come last in the page's JSON: `"rows":[…]}`.
      expect(json.slice(json.indexOf('"rows":[') + 8, -2).length).toBeLessThanOrEqual(bytes);
    }
    expect(capped.pages.some((page) => page.table === 'tickets' && page.rows.length > 1 && page.next?.table === 'tickets')).toBe(true);
  });

  it('leaves the rows changed after its version to the pull from it', async () => {
    const limits = { rows: 40, bytes: 1 << 20 };
    const first = await snapshotPage(server.db, server.clock, admin.device, { scope: eventId }, limits);
    const banned = await server.db.selectFrom('tickets').select('id').where('event_id', '=', eventId).orderBy('id', 'desc').limit(3).execute();
    await server.db.updateTable('tickets').set({ banned: 1 }).where('id', 'in', banned.map((ticket) => ticket.id)).execute();

    const rest = [first];
    while (rest.at(-1)!.next) {
      const { next, version } = rest.at(-1)!;
      rest.push(await snapshotPage(server.db, server.clock, admin.device, { scope: eventId, version, table: next!.table, ...(next!.after === null ? {} : { after: next!.after }) }, limits));
    }
    const loaded = rowsByTable(rest).get('tickets')!;
    expect(loaded.some((ticket) => banned.some((b) => b.id === ticket.id))).toBe(false);

    const pulled = await server.pull(admin.token, { cursors: { [eventId]: first.version } });
    const changed = pulled.changes.find((change) => change.table === 'tickets')!.rows;
    expect(changed.map((ticket) => ticket.id).sort()).toEqual(banned.map((ticket) => ticket.id).sort());
    expect(changed.every((ticket) => ticket.banned === 1)).toBe(true);
    const all = await server.db.selectFrom('tickets').select('id').where('event_id', '=', eventId).execute();
    expect(loaded.length + changed.length).toBe(all.length);
  });

  it('gives a gate customers without personal data and refuses the tables it never receives', async () => {
    const enrolled = await server.enrol('gate', { eventId });
    const gate = await deviceOf(enrolled.deviceId);
    const { pages } = await loadScope(gate, '', { rows: 500, bytes: 1 << 20 });
    const customers = rowsByTable(pages).get('customers')!;
    expect(customers.length).toBeGreaterThan(50);
    // The columns a gate never sees are not in its pages at all.
    const customerPages = pages.filter((page) => page.table === 'customers');
    for (const page of customerPages) for (const hidden of ['email', 'phone', 'address', 'city', 'web_user_id']) expect(page.columns).not.toContain(hidden);
    expect(customers.every((customer) => customer.email === undefined && customer.phone === undefined)).toBe(true);
    expect(customers.some((customer) => customer.last_name !== null)).toBe(true);
    expect([...rowsByTable(pages).keys()]).toEqual(visibleTables('gate', await pulledTables(server.db)).filter((table) => inScope(table, '') !== null).map((table) => table.name));
    expect(rowsByTable(pages).has('customer_emails')).toBe(false);
    await expect(snapshotPage(server.db, server.clock, gate, { scope: '', table: 'customer_emails' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'table' });
    await expect(snapshotPage(server.db, server.clock, gate, { scope: 'another-event' })).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'scope' });
  });

  describe('over HTTP', () => {
    const get = (query: string, headers: Record<string, string> = {}, app = server.app) =>
      app.inject({ method: 'GET', url: `/snapshot?${query}`, headers: { ...protocolHeaders(admin.token), ...headers } });

    it('compresses a page with zstd or gzip when the terminal takes it, and sends plain JSON when it does not', async () => {
      const packed = await get(`scope=${eventId}&table=tickets`, { 'accept-encoding': 'zstd, gzip' });
      expect(packed.statusCode).toBe(200);
      expect(packed.headers['content-encoding']).toBe('zstd');
      expect(packed.headers.vary).toBe('accept-encoding');
      const text = zstdDecompressSync(packed.rawPayload).toString('utf8');
      const page = snapshotPageSchema.parse(JSON.parse(text));
      expect(page.rows.length).toBeGreaterThan(100);
      expect(packed.rawPayload.length).toBeLessThan(text.length / 4);

      const zipped = await get(`scope=${eventId}&table=tickets`, { 'accept-encoding': 'gzip, deflate' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(text);

      const plain = await get(`scope=${eventId}&table=tickets`, { 'accept-encoding': 'gzip;q=0, identity' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toBe(text);
    });

    it.runIf(kind === 'postgres')('answers a page the same from another server process on the database', async () => {
      const db = await openServerDatabase(server.store.options);
      const other = await buildServerApp({ db, clock: server.clock, logger: pino({ level: 'silent' }) });
      try {
        const first = snapshotPageSchema.parse((await get(`scope=${eventId}&table=tickets`)).json());
        // The seed's tickets fit one page: the next request starts the next table.
        expect(first.next).toEqual({ table: 'tags', after: null });
        const query = `scope=${eventId}&version=${first.version}&table=${first.next!.table}`;
        const here = await get(query);
        const there = await get(query, {}, other);
        expect(here.statusCode).toBe(200);
        expect(there.statusCode, there.body).toBe(200);
        expect(there.body).toBe(here.body);
      } finally {
        await other.close();
        await db.destroy();
      }
    });

    it('refuses a bad after, a version the server never reached and a missing scope, naming the field', async () => {
      const badAfter = await get(`scope=${eventId}&table=tickets&after=not-json`);
      expect(badAfter.statusCode).toBe(400);
      expect(badAfter.json().error).toMatchObject({ code: 'validation', field: 'after' });
      const wrongKey = await get(`scope=&table=customer_emails&after=${encodeURIComponent('["only-one"]')}`);
      expect(wrongKey.json().error).toMatchObject({ field: 'after', message: expect.stringMatching(/customer_id, email/) });
      const ahead = await get(`scope=${eventId}&version=999999`);
      expect(ahead.statusCode).toBe(409);
      expect(ahead.json().error).toMatchObject({ code: 'conflict', field: 'version' });
      const notANumber = await get(`scope=${eventId}&version=12a`);
      expect(notANumber.json().error).toMatchObject({ code: 'validation', field: 'version' });
      const missing = await get('table=tickets');
      expect(missing.json().error).toMatchObject({ code: 'validation', field: 'scope' });
      const unknown = await get(`scope=${eventId}&table=audit_log`);
      expect(unknown.json().error).toMatchObject({ code: 'validation', field: 'table' });
    });
  });
});
