import type { Kysely } from 'kysely';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../core/api/core.ts';
import { applyEnvelope, envelopeOfOutboxRow } from '../../core/commands/command.ts';
import { commandOf } from '../../core/commands/registry.ts';
import { sql, type Store } from '../../db/store.ts';
import { createEnrolmentCode } from '../../server/devices/enrolment.ts';
import { ticketPresence } from '../../test/fixtures/checkin.ts';
import { expectOk, searchMatches } from '../../test/fixtures/commands.ts';
import { loopbackSyncServer } from '../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { checkinTerminalAtServer } from '../../test/fixtures/sync-server.ts';
import { comparableRows, copyOfStore, syncedRowsToLoad, type TableRows } from '../../test/fixtures/synced-tables.ts';
import { createTestCore, insertEvent } from '../../test/fixtures/store.ts';
import { otherTerminal } from '../../test/fixtures/terminals.ts';
import { defaultPullRows, maxPullRows } from '../protocol.ts';
import { ServerUnreachable, UnexpectedAnswer } from './client.ts';
import { enrolledClient, enrolTerminal } from './enrolment.ts';
import { followedCursors, pullUntilCaughtUp } from './pull.ts';
import { pushOutbox } from './push.ts';
import { TouchedCustomers, undoUnsettledCommands } from './rebase.ts';
import { pullCursors, recordEnrolment, recordPullCursors, settledSeq } from './state.ts';
import { syncNow } from './sync-now.ts';

/**
 * The terminal's pull with rebase against a real server over HTTP, on PostgreSQL and on PGlite: two
 * terminals of one event converge, a terminal's pending commands stay on top of what it pulls
 * (field last-writer-wins, double admissions, rejections), an acknowledged command whose effects
 * come on a later page is neither lost nor applied twice, and an interrupted or malformed pull
 * leaves the terminal as it was after its last whole page.
 */

type Fetch = typeof fetch;

/** The tables a pull writes (the server stamps them), without the audit log: it stays on each machine. */
const pulledTables = (rows: TableRows) => Object.keys(rows).filter((table) => table !== 'audit_log');

const outboxOf = (store: Store) => store.all(sql.selectFrom('outbox').select(['seq', 'status', 'rejection']).orderBy('seq'));
const imagesOf = (store: Store) => Number((store.db.prepare('SELECT count(*) AS n FROM before_images').get() as { n: number }).n);

describe.each(serverStoreKinds)('the terminal’s pull with rebase, server on %s', (kind) => {
  const suite = loopbackSyncServer(kind);

  /** Gate A (the check-in terminal whose event the server holds) and B, a copy of it, both enrolled for the event. */
  async function twoTerminals() {
    const a = await checkinTerminalAtServer(suite.server.db);
    const b = otherTerminal(a.store, { clockStart: '2026-07-11T10:05:00.000Z', operator: 'operator-1' });
    const enrol = async (store: Store, name: string) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'box-office-pull-'));
      const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'admin', eventId: a.eventId });
      await enrolTerminal(store, { dataDir, serverUrl: suite.url, code, name });
      return (fetch?: Fetch) => enrolledClient(store, dataDir, fetch ? { fetch } : {});
    };
    return { a, b, clientA: await enrol(a.store, 'Gate A'), clientB: await enrol(b.store, 'Gate B') };
  }

  /** The server's rows of the tables a pull writes, as a terminal holds them. */
  async function serverRows(tables: readonly string[]): Promise<TableRows> {
    const untyped = suite.server.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const rows: TableRows = {};
    for (const table of tables) rows[table] = await untyped.selectFrom(table).selectAll().execute();
    return comparableRows(rows);
  }

  const terminalRows = (store: Store) => {
    const rows = syncedRowsToLoad(store.db);
    return comparableRows(Object.fromEntries(pulledTables(rows).map((table) => [table, rows[table]!])));
  };

  /**
   * DESIGN.md section 6's promise after a pull: without its unsettled commands' effects the terminal
   * holds exactly the server's rows, and those commands run on that state by the plain runner give
   * exactly what the terminal holds.
   */
  async function expectServerPlusPending(store: Store) {
    const bare = copyOfStore(store);
    bare.immediateTransaction(() => {
      bare.db.pragma('defer_foreign_keys = ON');
      undoUnsettledCommands(bare, new TouchedCustomers());
    });
    const held = terminalRows(bare);
    expect(held).toEqual(await serverRows(Object.keys(held)));
    const unsettled = store.all(sql.selectFrom('outbox').selectAll().where('seq', '>', settledSeq(store)).where('status', '<>', 'rejected').orderBy('seq')).map(envelopeOfOutboxRow);
    for (const envelope of unsettled) applyEnvelope(bare, commandOf(envelope), envelope);
    expect(terminalRows(bare)).toEqual(terminalRows(store));
  }

  it('A scans and pushes; B pulls and sees the scan and the presence; both then hold the server’s rows, with no images left', async () => {
    const { a, b, clientA, clientB } = await twoTerminals();
    const ticket = a.tickets[0]!;
    await a.scan(ticket.reference, { at: '2026-07-11T10:00:00.000Z' });
    expect(imagesOf(a.store)).toBeGreaterThan(0);

    const synced = await syncNow(a.store, clientA());
    expect(synced.push).toMatchObject({ pushed: 1, applied: 1 });
    expect(synced.pull).toMatchObject({ caughtUp: true, rerun: 0, settledSeq: 1 });
    expect(imagesOf(a.store)).toBe(0);
    await expectServerPlusPending(a.store);

    const pulled = await pullUntilCaughtUp(b.store, clientB());
    expect(pulled).toMatchObject({ pages: 1, caughtUp: true, rerun: 0 });
    expect(pulled.rows).toBeGreaterThan(10);
    expect(b.store.all(sql.selectFrom('scans').select(['ticket_id', 'verdict']))).toEqual([{ ticket_id: ticket.id, verdict: 'admitted' }]);
    expect(ticketPresence(b.store, ticket.id)).toMatchObject({ entry_count: 1, inside_since: '2026-07-11T10:00:00.000Z', inside_gate_id: a.gates.main });
    expect(terminalRows(b.store)).toEqual(terminalRows(a.store));
    expect(pullCursors(b.store)).toEqual(pulled.cursors);

    // Nothing new: one page, no rows.
    expect(await pullUntilCaughtUp(b.store, clientB())).toMatchObject({ pages: 1, rows: 0, caughtUp: true });
  });

  it('B’s pending edit of a customer stays on top of A’s edits pulled: last writer per field by HLC, and B equals the server plus its pending command', async () => {
    const { a, b, clientA, clientB } = await twoTerminals();
    await pullUntilCaughtUp(b.store, clientB());
    // A edits first name and city; B, later by its clock, edits the city and the phone without having seen A's edit.
    a.clock.set('2026-07-11T09:00:00.000Z');
    expectOk(await a.core.invoke('customers.update', { customerId: a.anna, firstName: 'Annie', city: 'Delft' }));
    expectOk(await b.core.invoke('customers.update', { customerId: a.anna, city: 'Leiden', phone: '0612345678' }));
    await syncNow(a.store, clientA());

    const pulled = await pullUntilCaughtUp(b.store, clientB());
    expect(pulled).toMatchObject({ caughtUp: true, rerun: 1, settledSeq: 0 });
    const anna = () => b.store.first(sql.selectFrom('customers').select(['first_name', 'city', 'phone']).where('id', '=', a.anna));
    expect(anna()).toEqual({ first_name: 'Annie', city: 'Leiden', phone: '0612345678' });
    expect(searchMatches(b.store, 'annie')).toEqual([a.anna]);
    await expectServerPlusPending(b.store);
    expect(outboxOf(b.store)).toEqual([{ seq: 1, status: 'pending', rejection: null }]);

    // B pushes; both converge on the server's rows, B's edit no longer pending.
    await syncNow(b.store, clientB());
    await syncNow(a.store, clientA());
    expect(anna()).toEqual({ first_name: 'Annie', city: 'Leiden', phone: '0612345678' });
    expect(terminalRows(a.store)).toEqual(terminalRows(b.store));
    expect(imagesOf(b.store)).toBe(0);
    await expectServerPlusPending(a.store);
  });

  it('merges the newest stamp it pulls into its clock: an edit made after seeing another terminal’s comes after it', async () => {
    const { a, b, clientA, clientB } = await twoTerminals();
    await pullUntilCaughtUp(b.store, clientB());
    // A's clock runs two minutes ahead of B's.
    a.clock.set('2026-07-11T10:07:00.000Z');
    expectOk(await a.core.invoke('customers.update', { customerId: a.anna, city: 'Delft' }));
    await syncNow(a.store, clientA());
    await syncNow(b.store, clientB(), { clock: b.clock });
    // B changes the city back after seeing Delft: its edit is the later one, here and on the server.
    expectOk(await b.core.invoke('customers.update', { customerId: a.anna, city: 'Leiden' }));
    await syncNow(b.store, clientB(), { clock: b.clock });
    await syncNow(a.store, clientA());
    for (const store of [a.store, b.store]) expect(store.first(sql.selectFrom('customers').select('city').where('id', '=', a.anna))).toEqual({ city: 'Leiden' });
  });

  it('a double admission at two offline gates converges and is flagged on both after they sync', async () => {
    const { a, b, clientA, clientB } = await twoTerminals();
    const ticket = a.tickets[1]!;
    const first = await a.scan(ticket.reference, { at: '2026-07-11T10:00:00.000Z' });
    const second = expectOk(await b.core.invoke('checkin.scan', { code: ticket.reference, gateId: a.gates.vip, direction: 'entry' }));
    expect([first.verdict, second.verdict]).toEqual(['admitted', 'admitted']);

    await syncNow(a.store, clientA());
    const atB = await syncNow(b.store, clientB());
    expect(atB.push).toMatchObject({ pushed: 1, withConflict: 1 });
    await syncNow(a.store, clientA());

    for (const store of [a.store, b.store]) {
      expect(store.all(sql.selectFrom('scans').select(['id', 'double_admission']).orderBy('scanned_at'))).toEqual([
        { id: first.scanId, double_admission: 0 },
        { id: second.scanId, double_admission: 1 },
      ]);
      expect(store.all(sql.selectFrom('alerts').select(['kind', 'entity_id']))).toEqual([{ kind: 'double_admission', entity_id: second.scanId }]);
      expect(ticketPresence(store, ticket.id)).toMatchObject({ entry_count: 2, inside_gate_id: a.gates.vip });
      await expectServerPlusPending(store);
    }
    expect(terminalRows(a.store)).toEqual(terminalRows(b.store));
  });

  it('a sync for another terminal’s push pulls without pushing when nothing waits here, and pushes first when a command waits', async () => {
    const { a, b, clientA, clientB } = await twoTerminals();
    const first = await a.scan(a.tickets[0]!.reference, { at: '2026-07-11T10:00:00.000Z' });
    await syncNow(a.store, clientA());
    const paths: string[] = [];
    const counting: Fetch = (input, init) => {
      paths.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };

    const pulled = await syncNow(b.store, clientB(counting), { skipEmptyPush: true });
    expect(paths).toEqual(['/pull']);
    expect(pulled.push).toMatchObject({ pushed: 0, batches: 0, waiting: 0 });
    expect(pulled.pull).toMatchObject({ caughtUp: true });
    expect(b.store.all(sql.selectFrom('scans').select('id'))).toEqual([{ id: first.scanId }]);

    paths.length = 0;
    expectOk(await b.core.invoke('checkin.scan', { code: a.tickets[1]!.reference, gateId: a.gates.main, direction: 'entry' }));
    const synced = await syncNow(b.store, clientB(counting), { skipEmptyPush: true });
    expect(paths).toEqual(['/push', '/pull']);
    expect(synced.push).toMatchObject({ pushed: 1, applied: 1, waiting: 0 });
    await expectServerPlusPending(b.store);
  });

  it('keeps a rejected command with its reason, and undoes its effects on the next page', async () => {
    const { a, b, clientB } = await twoTerminals();
    const ticket = a.tickets[2]!;
    // An operator this server does not know scans at B.
    const stranger = createCore({ store: b.store, clock: b.clock, caller: { name: 'stranger', role: 'admin' } });
    expectOk(await stranger.invoke('checkin.scan', { code: ticket.reference, gateId: a.gates.main, direction: 'entry' }));
    expect(ticketPresence(b.store, ticket.id).entry_count).toBe(1);

    const synced = await syncNow(b.store, clientB());
    expect(synced.push).toMatchObject({ pushed: 1, rejected: 1 });
    expect(synced.push.rejections).toEqual([expect.objectContaining({ seq: 1, operator: 'stranger', reason: 'stranger is not an operator of this server' })]);
    expect(outboxOf(b.store)).toEqual([{ seq: 1, status: 'rejected', rejection: 'stranger is not an operator of this server' }]);
    expect(ticketPresence(b.store, ticket.id).entry_count).toBe(0);
    expect(b.store.all(sql.selectFrom('scans').select('id'))).toEqual([]);
    expect(imagesOf(b.store)).toBe(0);
    await expectServerPlusPending(b.store);
  });

  it('a command the server took, whose effects come on a later page, is run again on the pages before it and never twice', async () => {
    const { a, b, clientA, clientB } = await twoTerminals();
    await pullUntilCaughtUp(b.store, clientB());
    // A pushes three scans, one version each; then B scans a fourth ticket and pushes without pulling.
    for (const [index, ticket] of a.tickets.slice(0, 3).entries()) {
      await a.scan(ticket.reference, { at: `2026-07-11T10:0${index}:00.000Z` });
      await pushOutbox(a.store, clientA());
    }
    const mine = a.tickets[3]!;
    expectOk(await b.core.invoke('checkin.scan', { code: mine.reference, gateId: a.gates.main, direction: 'entry' }));
    expect(await pushOutbox(b.store, clientB())).toMatchObject({ applied: 1, lastSeq: 1 });
    // And two more of A's after it: B's version sits between A's.
    for (const [index, ticket] of a.tickets.slice(4, 6).entries()) {
      await a.scan(ticket.reference, { at: `2026-07-11T10:1${index}:00.000Z` });
      await pushOutbox(a.store, clientA());
    }

    const seen: { lastSeq: number; settledSeq: number; hasMore: boolean }[] = [];
    for (let page = 0; page < 10; page++) {
      const summary = await pullUntilCaughtUp(b.store, clientB(), { limit: 2, maxPages: 1 });
      seen.push({ lastSeq: 1, settledSeq: summary.settledSeq, hasMore: !summary.caughtUp });
      // On every page: B's scan there once, its ticket entered once, and the state the server's plus B's unsettled scan.
      expect(b.store.all(sql.selectFrom('scans').select('ticket_id').where('ticket_id', '=', mine.id))).toHaveLength(1);
      expect(ticketPresence(b.store, mine.id).entry_count).toBe(1);
      if (summary.caughtUp) break;
    }
    // Acknowledged from the first page on, settled from the page that brought its version on,
    // though more pages followed: run again before it, and not after.
    const settledFrom = seen.findIndex((page) => page.settledSeq === 1);
    expect(settledFrom).toBeGreaterThan(0);
    expect(seen.slice(0, settledFrom).every((page) => page.settledSeq === 0)).toBe(true);
    expect(seen.slice(settledFrom).every((page) => page.settledSeq === 1)).toBe(true);
    expect(seen[settledFrom]!.hasMore).toBe(true);
    expect(seen.at(-1)).toEqual({ lastSeq: 1, settledSeq: 1, hasMore: false });
    expect(outboxOf(b.store)).toEqual([{ seq: 1, status: 'applied', rejection: null }]);
    expect(imagesOf(b.store)).toBe(0);
    await expectServerPlusPending(b.store);
    expect(b.store.all(sql.selectFrom('scans').select('id'))).toHaveLength(6);
  });

  it('asks for the biggest pages while many of its commands wait to settle (each page runs them again), the default ones otherwise', async () => {
    const { a, b, clientB } = await twoTerminals();
    const limits: number[] = [];
    const watching: Fetch = (input, init) => {
      if (new URL(String(input)).pathname === '/pull') limits.push((JSON.parse(String(init!.body)) as { limit: number }).limit);
      return fetch(input, init);
    };
    await pullUntilCaughtUp(b.store, clientB(watching));
    expect(limits).toEqual([defaultPullRows]);
    // 500 edits made here and not pushed yet: every page would run them all again.
    for (let edit = 0; edit < 500; edit++) expectOk(await b.core.invoke('customers.update', { customerId: a.anna, city: `City ${edit}` }));
    limits.length = 0;
    expect(await pullUntilCaughtUp(b.store, clientB(watching))).toMatchObject({ caughtUp: true, rerun: 500 });
    expect(limits).toEqual([maxPullRows]);
    // Pushed, and their effects pulled back: settled, so the next pull asks for the default page again.
    await syncNow(b.store, clientB());
    expect(settledSeq(b.store)).toBe(500);
    limits.length = 0;
    await pullUntilCaughtUp(b.store, clientB(watching));
    expect(limits).toEqual([defaultPullRows]);
    await expectServerPlusPending(b.store);
  });

  it('an interrupted pull leaves the terminal whole at its last page, and resumes from there', async () => {
    const { a, b, clientA, clientB } = await twoTerminals();
    await pullUntilCaughtUp(b.store, clientB());
    // Three pushes: three versions, a page each.
    for (const ticket of a.tickets.slice(0, 3)) {
      await a.scan(ticket.reference);
      await pushOutbox(a.store, clientA());
    }
    expectOk(await b.core.invoke('customers.update', { customerId: a.anna, city: 'Utrecht' }));

    let requests = 0;
    const failing: Fetch = (input, init) => {
      requests += 1;
      if (requests === 2) return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }));
      return fetch(input, init);
    };
    await expect(pullUntilCaughtUp(b.store, clientB(failing), { limit: 2 })).rejects.toBeInstanceOf(ServerUnreachable);
    const cursors = pullCursors(b.store);
    expect(b.store.all(sql.selectFrom('scans').select('id'))).toHaveLength(1);
    expect(b.store.first(sql.selectFrom('customers').select('city').where('id', '=', a.anna))).toEqual({ city: 'Utrecht' });

    const resumed = await pullUntilCaughtUp(b.store, clientB(), { limit: 2 });
    expect(resumed.caughtUp).toBe(true);
    expect(Object.entries(resumed.cursors).every(([scope, version]) => version >= (cursors[scope] ?? 0))).toBe(true);
    expect(b.store.all(sql.selectFrom('scans').select('id'))).toHaveLength(3);
    await expectServerPlusPending(b.store);
  });

  it.each([
    ['a table the terminal does not hold', (page: PageJson) => page.changes.push({ table: 'wristbands', rows: [{ id: 'w1', server_version: 1 }] }), /rows of table wristbands, which this terminal does not hold/],
    ['a column the terminal does not have', (page: PageJson) => (page.changes.find((t) => t.table === 'scans')!.rows[0]!.colour = 'red'), /scans row 1 \(.*\) has a column colour, which scans does not have on this terminal/],
    ['a value of the wrong kind', (page: PageJson) => (page.changes.find((t) => t.table === 'tickets')!.rows[0]!.entry_count = 'many'), /tickets row 1 \(.*\) has "many" for entry_count, which holds a whole number/],
    ['a row without its key', (page: PageJson) => delete page.changes.find((t) => t.table === 'scans')!.rows[0]!.id, /scans row 1 has no id \(its key\)/],
    ['a value the terminal’s rules refuse', (page: PageJson) => (page.changes.find((t) => t.table === 'tickets')!.rows[0]!.status = 'lost'), /tickets row \(.*\) does not fit this terminal \(CHECK constraint failed/],
    ['a row whose parent is nowhere', (page: PageJson) => (page.changes.find((t) => t.table === 'scans')!.rows[0]!.ticket_id = 'no-such-ticket'), /a row names another \(its parent\) that neither the page nor this terminal holds/],
  ])('refuses a page with %s and changes nothing', async (_case, spoil, message) => {
    const { a, b, clientA, clientB } = await twoTerminals();
    await pullUntilCaughtUp(b.store, clientB());
    await a.scan(a.tickets[0]!.reference);
    await syncNow(a.store, clientA());
    expectOk(await b.core.invoke('customers.update', { customerId: a.anna, city: 'Utrecht' }));
    const spoiling: Fetch = async (input, init) => {
      const response = await fetch(input, init);
      const page = (await response.json()) as PageJson;
      spoil(page);
      return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    // Every answer measures the clock offset again: the rest of the terminal's state stays.
    const held = () => ({ rows: syncedRowsToLoad(b.store.db), state: b.store.all(sql.selectFrom('terminal_state').selectAll().where('key', '<>', 'server_offset_ms')), images: imagesOf(b.store) });
    const before = held();
    const refusal = pullUntilCaughtUp(b.store, clientB(spoiling));
    await expect(refusal).rejects.toBeInstanceOf(UnexpectedAnswer);
    await expect(refusal).rejects.toThrow(message);
    expect(held()).toEqual(before);
  });
});

interface PageJson {
  changes: { table: string; rows: Record<string, unknown>[] }[];
}


describe('the scopes a terminal pulls', () => {
  it('are the rows of no event and the enrolled event, or every event it holds when enrolled for all, each from its cursor or 0', () => {
    const { store } = createTestCore();
    const first = insertEvent(store, { name: 'Spring Fair' });
    const second = insertEvent(store, { name: 'Summer Fair' });
    expect(() => followedCursors(store)).toThrow(/not enrolled/);
    const enrolment = { serverUrl: 'http://127.0.0.1:7420', deviceId: 'device-1', role: 'gate' as const, eventId: first, name: null, enrolledAt: '2026-07-10T12:00:00.000Z' };
    recordEnrolment(store, enrolment);
    recordPullCursors(store, { '': 4, [second]: 9 });
    expect(followedCursors(store)).toEqual({ '': 4, [first]: 0 });
    recordEnrolment(store, { ...enrolment, eventId: null });
    expect(followedCursors(store)).toEqual({ '': 4, [first]: 0, [second]: 9 });
  });
});
