import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../core/api/core.ts';
import { setChosenEventId } from '../../core/terminal/state.ts';
import { openDatabase } from '../../db/connection.ts';
import { sql, Store } from '../../db/store.ts';
import { createEnrolmentCode } from '../../server/devices/enrolment.ts';
import type { DeviceRole, SnapshotPage } from '../protocol.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { loopbackSyncServer } from '../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { checkinTerminalAtServer, seededServer } from '../../test/fixtures/sync-server.ts';
import { loadedRows, serverRowsFor } from '../../test/fixtures/first-load.ts';
import { syncedRowsToLoad } from '../../test/fixtures/synced-tables.ts';
import { ServerUnreachable } from './client.ts';
import { enrolledClient, enrolTerminal } from './enrolment.ts';
import { firstLoadInProgress, loadFirstSnapshot, type FirstLoadProgress } from './first-load.ts';
import { MalformedSnapshot } from './snapshot-rows.ts';
import { pullCursors } from './state.ts';
import { syncProgressOf } from './load-progress.ts';
import { syncNow } from './sync-now.ts';
import type { SyncProgress } from '../../core/sync/sync.contract.ts';

/**
 * A fresh terminal's first load from a real server over real HTTP, on PostgreSQL and on PGlite: it
 * ends holding exactly the server's rows (as its role sees them), with its indexes and search
 * index built and its pull cursors at the snapshot's versions; cut off or fed a bad page, it
 * continues from the last page it committed.
 */

/** A fetch that passes snapshot requests through `onSnapshot` (which may throw or rewrite the page). */
function watchedFetch(onSnapshot: (url: URL, index: number) => void, rewrite?: (page: SnapshotPage, index: number) => SnapshotPage): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const watched: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    if (url.pathname !== '/snapshot') return fetch(input, init);
    const index = urls.length;
    urls.push(`${url.pathname}${url.search}`);
    onSnapshot(url, index);
    const response = await fetch(input, init);
    if (!rewrite) return response;
    const page = rewrite((await response.json()) as SnapshotPage, index);
    return new Response(JSON.stringify(page), { status: response.status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: watched, urls };
}

describe.each(serverStoreKinds)('first load, server on %s', (kind) => {
  const suite = loopbackSyncServer(kind);
  let eventId: string;

  beforeAll(async () => {
    ({ eventId } = await seededServer(suite.server.db));
  }, 120_000);

  /** A fresh terminal (a store in a new data folder) enrolled for the seeded event with `role`. */
  async function freshTerminal(role: DeviceRole, fetchFn?: typeof fetch) {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-first-load-'));
    const store = new Store(openDatabase(join(dataDir, 'box-office.sqlite')));
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role, eventId });
    await enrolTerminal(store, { dataDir, serverUrl: suite.url, code });
    const client = (fetchOverride?: typeof fetch) => enrolledClient(store, dataDir, fetchOverride ?? fetchFn ? { fetch: (fetchOverride ?? fetchFn)! } : {});
    return { dataDir, store, client };
  }

  const serverRows = (role: DeviceRole) => serverRowsFor(suite.server.db, role);
  const terminalRows = loadedRows;

  const schemaOf = (store: Store) =>
    store.db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();

  it('is where sync now starts on a fresh terminal (the worker enrolled from the Sync screen): the load, its progress for the screen, then a pull from the snapshot’s version', async () => {
    const terminal = await freshTerminal('box_office');
    const progress: SyncProgress[] = [];
    const summary = await syncNow(terminal.store, terminal.client(), { onLoadProgress: (event) => progress.push(syncProgressOf(event)) });
    expect(terminalRows(terminal.store, 'box_office')).toEqual(await serverRows('box_office'));
    expect(progress.at(-1)).toMatchObject({ phase: 'first-load', done: true });
    expect(progress.some((event) => !event.done && event.rows > 0 && event.table !== null)).toBe(true);
    // Nothing had changed since the snapshot: the pull from its version brings nothing.
    expect(summary.pull).toMatchObject({ rows: 0, caughtUp: true });
    // Loaded now: the next sync pulls, it does not load again.
    const again: SyncProgress[] = [];
    await syncNow(terminal.store, terminal.client(), { onLoadProgress: (event) => again.push(syncProgressOf(event)) });
    expect(again).toEqual([]);
  });

  it.each(['box_office', 'gate'] as const)('loads the event and the rows of no event for a fresh %s terminal, which then holds exactly the server’s rows', async (role) => {
    const terminal = await freshTerminal(role);
    const progress: FirstLoadProgress[] = [];
    const summary = await loadFirstSnapshot(terminal.store, terminal.client(), { onProgress: (event) => progress.push(event), rowsPerTransaction: 50, pauseMs: 0 });

    expect(terminalRows(terminal.store, role)).toEqual(await serverRows(role));
    const versions = await suite.server.db.selectFrom('event_versions').select(['scope', 'version']).where('scope', 'in', ['', eventId]).execute();
    const expectedCursors = Object.fromEntries(versions.map((row) => [row.scope, Number(row.version)]));
    expect(summary.cursors).toEqual(expectedCursors);
    expect(pullCursors(terminal.store)).toEqual(expectedCursors);
    expect(firstLoadInProgress(terminal.store)).toBe(false);
    expect(summary).toMatchObject({ resumed: false, rows: Object.values(summary.tables).reduce((sum, rows) => sum + rows, 0) });
    expect(summary.tables.tickets).toBe(160);

    // Every index is back, as the migrations wrote it.
    const migrated = new Store(openDatabase(':memory:'));
    expect(schemaOf(terminal.store)).toEqual(schemaOf(migrated));
    migrated.close();

    // Progress: rows going up to the total the server announced, then the indexes, the search index, done.
    const rowsEvents = progress.filter((event) => event.phase === 'rows');
    expect(rowsEvents.at(-1)!.rowsLoaded).toBe(summary.rows);
    expect(rowsEvents.every((event) => event.rowsTotal === summary.rows)).toBe(true);
    expect(rowsEvents.map((event) => event.rowsLoaded)).toEqual([...rowsEvents.map((event) => event.rowsLoaded)].sort((a, b) => a - b));
    expect(new Set(progress.map((event) => event.phase))).toEqual(new Set(['rows', 'indexes', 'search', 'done']));
    expect(progress.at(-1)!.phase).toBe('done');

    // The customer search index works on what was loaded.
    const customer = terminal.store.first(sql.selectFrom('customers').select(['id', 'last_name']).where('last_name', 'is not', null).where('deleted_at', 'is', null).orderBy('id'))!;
    const core = createCore({ store: terminal.store, caller: { name: 'cli', role: 'admin' } });
    const found = expectOk(await core.invoke('customers.search', { query: customer.last_name! }));
    expect(found.results.map((hit) => hit.customerId)).toContain(customer.id);
    terminal.store.close();
  });

  it('continues a load cut off after page k from page k+1, and ends holding the server’s rows', async () => {
    const cutAfter = 4;
    const cut = watchedFetch((_url, index) => {
      if (index === cutAfter) throw new TypeError('fetch failed');
    });
    const terminal = await freshTerminal('box_office');
    await expect(loadFirstSnapshot(terminal.store, terminal.client(cut.fetch), { rowsPerTransaction: 7, pauseMs: 0 })).rejects.toBeInstanceOf(ServerUnreachable);
    expect(firstLoadInProgress(terminal.store)).toBe(true);
    expect(pullCursors(terminal.store)).toEqual({});

    const resumed = watchedFetch(() => {});
    const summary = await loadFirstSnapshot(terminal.store, terminal.client(resumed.fetch), { pauseMs: 0 });
    expect(summary.resumed).toBe(true);
    // The cut load asked for the first pages of '' and of the event (0, 1), then for the pages of
    // '' after the first (2, 3) while each page before went in; the one after page 3 (4) failed.
    // Pages 0, 2 and 3 are committed and never asked for again; the event's first page was not.
    expect(resumed.urls.slice(0, 2)).toEqual([cut.urls[1], cut.urls[4]]);
    expect(resumed.urls.filter((url) => [cut.urls[0], cut.urls[2], cut.urls[3]].includes(url))).toEqual([]);
    expect(terminalRows(terminal.store, 'box_office')).toEqual(await serverRows('box_office'));
    expect(summary.rows).toBe(Object.values(syncedRowsToLoad(terminal.store.db)).reduce((sum, rows) => sum + rows.length, 0) - syncedRowsToLoad(terminal.store.db).audit_log!.length);
    terminal.store.close();
  });

  it('refuses a page with a column or a table the terminal does not have, writing nothing of it, then loads on', async () => {
    const terminal = await freshTerminal('box_office');
    const before = () => terminal.store.all(sql.selectFrom('terminal_state').selectAll().where('key', '=', 'sync_first_load'));
    let recordBefore: unknown;
    const badTable = watchedFetch(
      () => {},
      // The event's first page (it names no table in its request) says it holds the outbox.
      (page) => (page.table === 'events' ? { ...page, table: 'outbox' } : page),
    );
    await expect(loadFirstSnapshot(terminal.store, terminal.client(badTable.fetch), { pauseMs: 0 })).rejects.toThrow(/table "outbox", which this terminal does not sync/);
    const badColumn = watchedFetch(
      () => {},
      (page) => {
        if (page.table !== 'tickets') return page;
        recordBefore = before();
        return { ...page, columns: [...page.columns, 'secret'], rows: page.rows.map((row) => [...row, 'x']) };
      },
    );
    const refusal = loadFirstSnapshot(terminal.store, terminal.client(badColumn.fetch), { rowsPerTransaction: 7, pauseMs: 0 });
    await expect(refusal).rejects.toBeInstanceOf(MalformedSnapshot);
    await expect(refusal).rejects.toThrow(/^The server sent tickets with a column "secret", which tickets does not have on this terminal$/);
    expect(terminal.store.all(sql.selectFrom('tickets').select('id'))).toEqual([]);
    expect(before()).toEqual(recordBefore);

    const shortRow = watchedFetch(
      () => {},
      (page) => (page.table === 'tickets' ? { ...page, rows: page.rows.map((row, index) => (index === 3 ? row.slice(1) : row)) } : page),
    );
    await expect(loadFirstSnapshot(terminal.store, terminal.client(shortRow.fetch), { rowsPerTransaction: 2, pauseMs: 0 })).rejects.toThrow(
      /^Row 4 of tickets from the server has \d+ values, not one for each of its \d+ columns$/,
    );
    expect(terminal.store.all(sql.selectFrom('tickets').select('id'))).toEqual([]);
    const noReference = watchedFetch(
      () => {},
      (page) => (page.table === 'tickets' ? { ...page, columns: page.columns.filter((column) => column !== 'reference'), rows: page.rows.map((row) => row.filter((_, at) => page.columns[at] !== 'reference')) } : page),
    );
    await expect(loadFirstSnapshot(terminal.store, terminal.client(noReference.fetch), { pauseMs: 0 })).rejects.toMatchObject({ field: 'reference', message: 'The server sent tickets without reference, which tickets requires' });

    const badValue = watchedFetch(
      () => {},
      (page) => (page.table === 'tickets' ? { ...page, rows: page.rows.map((row, index) => (index === 0 ? row.map((value, at) => (page.columns[at] === 'redeemed' ? 'yes' : value)) : row)) } : page),
    );
    await expect(loadFirstSnapshot(terminal.store, terminal.client(badValue.fetch), { pauseMs: 0 })).rejects.toThrow(/^Row 1 of tickets from the server \(id [^)]+\) has the text "yes" in redeemed, which holds numbers$/);
    expect(terminal.store.all(sql.selectFrom('tickets').select('id'))).toEqual([]);

    await loadFirstSnapshot(terminal.store, terminal.client(), { pauseMs: 0 });
    expect(terminalRows(terminal.store, 'box_office')).toEqual(await serverRows('box_office'));
    terminal.store.close();
  });

  it('refuses a store that holds rows already, saying why, and loads nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-first-load-'));
    const held = await checkinTerminalAtServer(suite.server.db, { file: join(dataDir, 'box-office.sqlite') });
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'box_office', eventId: held.eventId });
    await enrolTerminal(held.store, { dataDir, serverUrl: suite.url, code });
    const requests = watchedFetch(() => {});
    await expect(loadFirstSnapshot(held.store, enrolledClient(held.store, dataDir, { fetch: requests.fetch }))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^This terminal's store already holds rows \(.*6 in tickets.*\): a first load fills a fresh store only\./),
    });
    expect(requests.urls).toEqual([]);
    expect(firstLoadInProgress(held.store)).toBe(false);
    // The seeded festival again, for the tests after this one.
    ({ eventId } = await seededServer(suite.server.db));
  });

  it('lets a check station scan, on another connection, the tickets it holds while it loads the rest', async () => {
    const terminal = await freshTerminal('gate');
    const gateConnection = new Store(openDatabase(join(terminal.dataDir, 'box-office.sqlite')));
    const core = createCore({ store: gateConnection, caller: { name: 'cli', role: 'admin' } });
    const verdicts: string[] = [];
    let scanning: Promise<void> = Promise.resolve();
    await loadFirstSnapshot(terminal.store, terminal.client(), {
      rowsPerTransaction: 20,
      pauseMs: 0,
      onProgress: (event) => {
        // While the tickets go in, scan one of those already in, between two transactions.
        if (event.phase !== 'rows' || event.scope !== eventId || event.table !== 'tickets' || verdicts.length >= 3) return;
        verdicts.push('pending');
        scanning = scanning.then(async () => {
          const ticket = gateConnection.first(sql.selectFrom('tickets').select('reference').where('status', '=', 'valid').orderBy('id').limit(1).offset(verdicts.length))!;
          const gate = gateConnection.first(sql.selectFrom('gates').select('id').orderBy('id'))!;
          setChosenEventId(gateConnection, eventId);
          const result = expectOk(await core.invoke('checkin.scan', { code: ticket.reference, gateId: gate.id, direction: 'entry' }));
          verdicts[verdicts.indexOf('pending')] = result.verdict;
        });
      },
    });
    await scanning;
    expect(verdicts.length).toBe(3);
    expect(verdicts.every((verdict) => verdict === 'admitted' || verdict === 'rejected')).toBe(true);
    expect(gateConnection.all(sql.selectFrom('scans').select('id').where('device_id', '=', terminal.store.first(sql.selectFrom('terminal_state').select('value').where('key', '=', 'device_id'))?.value ?? ''))).toHaveLength(3);
    gateConnection.close();
    terminal.store.close();
  });
});
