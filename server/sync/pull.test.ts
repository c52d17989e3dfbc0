import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullResponseSchema, type Cursors, type PullResponse } from '../../sync/protocol.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { checkinTerminalAtServer, openSyncServer, syncTime, type SyncServer } from '../../test/fixtures/sync-server.ts';
import { currentVersions } from './pull.ts';
import { inScope, pulledTables, untyped } from './pulled-tables.ts';

/**
 * Pull through the HTTP API: whole versions per page, cursors that advance to the scope's current
 * version, the device's acknowledged seq, and what a gate may not see.
 */
describe.each(serverStoreKinds)('pull on %s', (kind) => {
  let server: SyncServer;
  let terminal: Awaited<ReturnType<typeof checkinTerminalAtServer>>;
  let admin: { token: string };
  let scanner: { token: string };
  let pushed: Cursors;

  // The check-in terminal's event on the server, then six scans pushed one per push: six versions.
  beforeAll(async () => {
    server = await openSyncServer(kind);
    terminal = await checkinTerminalAtServer(server.db);
    admin = await server.enrol('admin');
    pushed = await currentVersions(server.db, ['', terminal.eventId]);
    // An admin terminal: checkin.scan declares no roles yet, and the server lets only admins run such a command.
    scanner = await server.enrol('admin', { deviceId: terminal.deviceId, eventId: terminal.eventId });
    for (const ticket of terminal.tickets) {
      await terminal.scan(ticket.reference);
      await server.push(scanner.token, terminal.newEnvelopes());
    }
  }, 120_000);
  afterAll(() => server.close());

  /** Every row of the scope stamped after `after`, per version. */
  async function rowsPerVersion(scope: string, after: number): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (const table of await pulledTables(server.db)) {
      const condition = inScope(table, scope);
      if (condition === null) continue;
      const rows = await untyped(server.db).selectFrom(table.name).select('server_version').where(condition).where('server_version', '>', after).execute();
      for (const { server_version: version } of rows) counts.set(Number(version), (counts.get(Number(version)) ?? 0) + 1);
    }
    return counts;
  }

  const versionsOf = (page: PullResponse) => page.changes.flatMap((change) => change.rows.map((row) => Number(row.server_version)));

  async function pullAll(token: string, cursors: Cursors, limit?: number): Promise<PullResponse[]> {
    const pages: PullResponse[] = [];
    for (;;) {
      const page = await server.pull(token, { cursors, ...(limit ? { limit } : {}) });
      pages.push(page);
      cursors = page.cursors;
      if (!page.hasMore) return pages;
      expect(pages.length, 'pages before hasMore turns false').toBeLessThan(100);
    }
  }

  it('brings every row of the device’s scopes once, then nothing until something changes', async () => {
    const [page] = await pullAll(admin.token, { '': 0, [terminal.eventId]: 0 });
    const current = await currentVersions(server.db, ['', terminal.eventId]);
    expect(page!.cursors).toEqual(current);
    for (const table of await pulledTables(server.db)) {
      const all = await untyped(server.db).selectFrom(table.name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const pulled = page!.changes.find((change) => change.table === table.name)?.rows ?? [];
      expect(pulled.length, table.name).toBe(Number(all.n));
    }
    const again = await server.pull(admin.token, { cursors: page!.cursors });
    expect(again).toMatchObject({ changes: [], cursors: current, hasMore: false });
  });

  it.each([3, 5])('never splits a version across pages of %i rows, and advances the cursor to each page’s last version', async (limit) => {
    const pages = await pullAll(admin.token, pushed, limit);
    const expected = await rowsPerVersion(terminal.eventId, pushed[terminal.eventId]!);
    expect(expected.size).toBe(6);
    let previous = pushed[terminal.eventId]!;
    for (const page of pages) {
      const versions = versionsOf(page);
      for (const version of new Set(versions)) {
        expect(versions.filter((v) => v === version).length, `rows of version ${version} in its page`).toBe(expected.get(version));
      }
      expect(Math.min(...versions)).toBeGreaterThan(previous);
      previous = page.cursors[terminal.eventId]!;
      expect(previous).toBe(Math.max(...versions));
      // A version of more rows than the limit comes alone; otherwise a page keeps to the limit.
      expect(versions.length <= limit || new Set(versions).size === 1).toBe(true);
    }
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.slice(0, -1).every((page) => page.hasMore)).toBe(true);
    expect(pages.at(-1)!.hasMore).toBe(false);
    expect(pages.flatMap(versionsOf).length).toBe([...expected.values()].reduce((sum, n) => sum + n, 0));
    if (limit === 5) expect(pages.some((page) => new Set(versionsOf(page)).size > 1), 'a page of several versions').toBe(true);
  });

  it('reads the rows of no event to the end before an event’s, and brings a version bigger than the limit whole', async () => {
    const pages = await pullAll(admin.token, { '': 0, [terminal.eventId]: 0 }, 2);
    const current = await currentVersions(server.db, ['', terminal.eventId]);
    const firstWithEvent = pages.findIndex((page) => page.cursors[terminal.eventId]! > 0);
    expect(firstWithEvent).toBeGreaterThan(0);
    expect(pages[firstWithEvent - 1]!.cursors['']).toBe(current['']);
    // The event's rows as loaded are one version (one stamping transaction): more than 2 rows, in one page.
    const loaded = pages[firstWithEvent]!;
    expect(new Set(versionsOf(loaded)).size).toBe(1);
    expect(versionsOf(loaded).length).toBeGreaterThan(2);
    expect(pages.at(-1)!.cursors).toEqual(current);
  });

  it('answers the device’s acknowledged seq and notes when it was last seen', async () => {
    server.clock.set('2026-07-10T13:30:00.000Z');
    const page = await server.pull(scanner.token, { cursors: {} });
    expect(page.lastSeq).toBe(6);
    expect(page.serverTime).toBe('2026-07-10T13:30:00.000Z');
    const seen = await server.db.selectFrom('devices').select('last_seen_at').where('id', '=', terminal.deviceId).executeTakeFirstOrThrow();
    expect(seen.last_seen_at).toBe('2026-07-10T13:30:00.000Z');
    expect((await server.pull(admin.token, { cursors: {} })).lastSeq).toBe(0);
  });

  it('keeps on each receipt the version its push stamped, and answers the seq up to which the device’s effects are in the page', async () => {
    const receipts = await server.db.selectFrom('receipts').select(['seq', 'versions']).where('device_id', '=', terminal.deviceId).orderBy('seq').execute();
    const scanVersions = receipts.map((receipt) => receipt.versions![terminal.eventId]!);
    // One push per scan: six versions of the event, in seq order, and none of the rows of no event.
    expect(scanVersions).toEqual([...scanVersions].sort((a, b) => a - b));
    expect(new Set(scanVersions).size).toBe(6);
    expect(receipts.every((receipt) => Object.keys(receipt.versions!).join() === terminal.eventId)).toBe(true);

    const current = await currentVersions(server.db, ['']);
    const before = (index: number) => (index === 0 ? scanVersions[0]! - 1 : scanVersions[index - 1]!);
    const from = { '': current['']!, [terminal.eventId]: before(0) };
    for (let cursor = 0; cursor < 6; cursor++) {
      const page = await server.pull(scanner.token, { cursors: { ...from, [terminal.eventId]: before(cursor) }, limit: 1 });
      // The page brings the next scan's version: that scan, and the ones before it, are in the rows.
      expect(page.cursors[terminal.eventId]).toBe(scanVersions[cursor]);
      expect({ settledSeq: page.settledSeq, lastSeq: page.lastSeq, hasMore: page.hasMore }).toEqual({ settledSeq: cursor + 1, lastSeq: 6, hasMore: cursor < 5 });
    }
    // Asked from a seq on, the server looks no further back: an unknown receipt of before it does not hold the answer back.
    await server.db.updateTable('receipts').set({ versions: null }).where('device_id', '=', terminal.deviceId).where('seq', '=', 1).execute();
    expect((await server.pull(scanner.token, { cursors: from, limit: 1 })).settledSeq).toBe(0);
    expect((await server.pull(scanner.token, { cursors: { ...from, [terminal.eventId]: before(1) }, limit: 1, settledFrom: 2 })).settledSeq).toBe(2);
  });

  it('follows an event device’s event and the rows of no event, and refuses another event by name', async () => {
    const gate = await server.enrol('gate', { eventId: terminal.eventId });
    const page = await server.pull(gate.token, { cursors: {} });
    expect(Object.keys(page.cursors).sort()).toEqual(['', terminal.eventId].sort());
    const refused = await server.pullResponse(gate.token, { cursors: { 'another-event': 0 } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'forbidden', field: 'cursors.another-event' });
  });

  it('gives a gate customers without e-mail, phone or address, no other e-mails and no web users, and operators with their PIN hash', async () => {
    await server.db.insertInto('web_users').values({ id: 'web-anna', email: 'anna@example.com', first_name: 'Anna', last_name: 'Berg', phone: '+31 6 1234', created_at: syncTime, updated_at: syncTime, server_version: null }).execute();
    await server.db
      .updateTable('customers')
      .set({ email: 'anna@example.com', phone: '+31 6 1234', address: 'Kade 1', postcode: '1011 AA', city: 'Amsterdam', country: 'NL', web_user_id: 'web-anna' })
      .where('id', '=', terminal.anna)
      .execute();
    await server.db.insertInto('customer_emails').values({ customer_id: terminal.anna, email: 'a.berg@example.com', created_at: syncTime, deleted_at: null, server_version: null }).execute();

    const gate = await server.enrol('gate', { eventId: terminal.eventId });
    const seen = await server.pull(gate.token, { cursors: {} });
    const table = (page: PullResponse, name: string) => page.changes.find((change) => change.table === name)?.rows;
    expect(table(seen, 'customers')).toEqual([
      expect.objectContaining({ id: terminal.anna, first_name: 'Anna', last_name: 'Berg', country: 'NL', email: null, phone: null, address: null, postcode: null, city: null, web_user_id: null }),
    ]);
    expect(table(seen, 'customer_emails')).toBeUndefined();
    expect(table(seen, 'web_users')).toBeUndefined();
    expect(table(seen, 'operators')).toEqual([expect.objectContaining({ name: 'operator-1', pin_hash: 'scrypt$test' })]);

    const full = await server.pull(admin.token, { cursors: {} });
    expect(table(full, 'customers')).toEqual([expect.objectContaining({ email: 'anna@example.com', phone: '+31 6 1234', city: 'Amsterdam', web_user_id: 'web-anna' })]);
    expect(table(full, 'customer_emails')).toHaveLength(1);
    expect(table(full, 'web_users')).toHaveLength(1);
  });

  it('refuses a cursor the server never reached (a restored server), and bad input, naming the field', async () => {
    const ahead = await server.pullResponse(admin.token, { cursors: { [terminal.eventId]: 10_000 } });
    expect(ahead.statusCode).toBe(409);
    expect(ahead.json().error).toMatchObject({ code: 'conflict', field: `cursors.${terminal.eventId}`, message: expect.stringMatching(/snapshot/) });
    const tooMany = await server.pullResponse(admin.token, { cursors: {}, limit: 100_000 });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error).toMatchObject({ field: 'limit' });
    const negative = await server.pullResponse(admin.token, { cursors: { '': -1 } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.field).toBe('cursors.');
  });

  it('gzips a page when the terminal accepts it', async () => {
    const cursors = { '': 0, [terminal.eventId]: 0 };
    const response = await server.pullResponse(admin.token, { cursors }, { 'accept-encoding': 'gzip, deflate' });
    expect(response.headers['content-encoding']).toBe('gzip');
    const page = pullResponseSchema.parse(JSON.parse(gunzipSync(response.rawPayload).toString('utf8')));
    expect(page.changes.length).toBeGreaterThan(0);
    expect(response.rawPayload.length).toBeLessThan(JSON.stringify(page).length / 3);
    const plain = await server.pullResponse(admin.token, { cursors });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(pullResponseSchema.parse(plain.json()).changes).toEqual(page.changes);
  });
});
