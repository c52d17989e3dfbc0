import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../core/api/core.ts';
import { DomainError } from '../../core/errors.ts';
import { setChosenEventId } from '../../core/terminal/state.ts';
import { openDatabase } from '../../db/connection.ts';
import { sql, Store } from '../../db/store.ts';
import { createEnrolmentCode } from '../../server/devices/enrolment.ts';
import type { DeviceRole } from '../protocol.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { loadedRows, serverRowsFor } from '../../test/fixtures/first-load.ts';
import { loopbackSyncServer } from '../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { seededServer } from '../../test/fixtures/sync-server.ts';
import { syncedRowsToLoad } from '../../test/fixtures/synced-tables.ts';
import { checkAgainstServer, ServerMovedOn, syncThenCheck } from './consistency-check.ts';
import { enrolledClient, enrolTerminal } from './enrolment.ts';
import { commandCount } from './outbox.ts';
import { syncNow } from './sync-now.ts';

/**
 * The consistency check against a real server over HTTP, on PostgreSQL and on PGlite: a terminal
 * loaded and synced is as the server holds it; one whose rows went wrong behind the commands' back
 * (edited, lost, added) is told which tables differ and changes nothing; with `repair` it reloads
 * those tables and then holds exactly the server's rows, its search index too.
 */
describe.each(serverStoreKinds)('consistency check, server on %s', (kind) => {
  const suite = loopbackSyncServer(kind);
  let eventId: string;

  beforeAll(async () => {
    ({ eventId } = await seededServer(suite.server.db));
    // The operator the terminals' commands are made by, known to the server.
    const now = suite.server.clock.now().toISOString();
    await suite.server.db
      .insertInto('operators')
      .values({ id: 'op-cli', name: 'cli', name_key: 'cli', role: 'admin', pin_hash: 'x', created_at: now, updated_at: now, server_version: null, deleted_at: null })
      .execute();
  }, 120_000);

  /** A terminal enrolled for the seeded event with `role`, loaded and synced. */
  async function loadedTerminal(role: DeviceRole) {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-check-'));
    const store = new Store(openDatabase(join(dataDir, 'box-office.sqlite')));
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role, eventId });
    await enrolTerminal(store, { dataDir, serverUrl: suite.url, code });
    const client = () => enrolledClient(store, dataDir);
    await syncNow(store, client());
    return { store, client, dataDir };
  }

  /**
   * A command of the terminal's waiting for the server: the last customer edited (not the one
   * another test edits: that edit, later by the clock, would win over this one).
   */
  async function commandWaiting(store: Store, change: { city?: string; postcode?: string }) {
    const customerId = store.first(sql.selectFrom('customers').select('id').where('deleted_at', 'is', null).orderBy('id', 'desc'))!.id;
    setChosenEventId(store, eventId);
    const core = createCore({ store, caller: { name: 'cli', role: 'admin' } });
    expectOk(await core.invoke('customers.update', { customerId, ...change }));
  }

  const differingTables = (summary: Awaited<ReturnType<typeof checkAgainstServer>>) => summary.differing.map((table) => table.table).sort();

  it.each(['box_office', 'gate'] as const)('finds a %s terminal fresh from its first load as the server holds it, every table it receives', async (role) => {
    const terminal = await loadedTerminal(role);
    const summary = await checkAgainstServer(terminal.store, terminal.client());
    expect(summary.differing).toEqual([]);
    expect(summary.tables).toBeGreaterThan(10);
    expect(summary.rows).toBe(Object.values(loadedRows(terminal.store, role)).reduce((sum, rows) => sum + rows.length, 0));
    terminal.store.close();
  });

  it('names each table whose rows went wrong on the terminal, and changes nothing', async () => {
    const terminal = await loadedTerminal('box_office');
    const db = terminal.store.db;
    // Behind the commands' back: a ticket's status edited, another customer e-mail lost, a label added.
    db.exec("UPDATE tickets SET status = 'invalid', invalid_reason = 'canceled' WHERE rowid = (SELECT min(rowid) FROM tickets WHERE status = 'valid')");
    db.exec('DELETE FROM customer_emails WHERE rowid = (SELECT min(rowid) FROM customer_emails)');
    db.exec("INSERT INTO labels (id, name, created_at, updated_at) VALUES ('stray-label', 'Stray', '2026-07-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z')");
    const before = syncedRowsToLoad(db);

    const summary = await checkAgainstServer(terminal.store, terminal.client());
    expect(differingTables(summary)).toEqual(['customer_emails', 'labels', 'tickets']);
    const byTable = Object.fromEntries(summary.differing.map((table) => [table.table, table]));
    expect(byTable.tickets!.reason).toBe('the same number of rows, with different contents');
    expect(byTable.customer_emails!.terminalRows).toBe(byTable.customer_emails!.serverRows - 1);
    expect(byTable.labels!.reason).toMatch(/^[\d,]+ rows? here, [\d,]+ rows? at the server$/);
    expect(summary.repaired).toEqual([]);
    expect(syncedRowsToLoad(db)).toEqual(before);
    terminal.store.close();
  });

  it('with repair, reloads each table that differs from the server, and then holds exactly its rows, the customer search included', async () => {
    const terminal = await loadedTerminal('box_office');
    const db = terminal.store.db;
    const customer = terminal.store.first(sql.selectFrom('customers').select(['id', 'last_name', 'search_rowid']).where('last_name', 'is not', null).where('deleted_at', 'is', null).orderBy('id'))!;
    // The customer renamed behind the commands' back (the search index with it), a ticket lost, a label added.
    db.prepare("UPDATE customers SET last_name = 'Zzyzx' WHERE id = ?").run(customer.id);
    db.prepare("INSERT OR REPLACE INTO customer_search (rowid, name, emails, phone) VALUES (?, 'Zzyzx', '', '')").run(customer.search_rowid);
    db.exec("DELETE FROM tickets WHERE rowid = (SELECT max(rowid) FROM tickets WHERE id NOT IN (SELECT ticket_id FROM scans WHERE ticket_id IS NOT NULL) AND id NOT IN (SELECT ticket_id FROM tags WHERE ticket_id IS NOT NULL))");
    db.exec("INSERT INTO labels (id, name, created_at, updated_at) VALUES ('stray-label', 'Stray', '2026-07-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z')");

    const summary = await checkAgainstServer(terminal.store, terminal.client(), { repair: true });
    expect(summary.differing).toEqual([]);
    expect(summary.repaired.map((table) => table.table).sort()).toEqual(['customers', 'labels', 'tickets']);
    expect(summary.repaired.find((table) => table.table === 'labels')).toMatchObject({ removed: 1 });
    expect(summary.repaired.find((table) => table.table === 'tickets')).toMatchObject({ removed: 0 });
    expect(loadedRows(terminal.store, 'box_office')).toEqual(await serverRowsFor(suite.server.db, 'box_office'));
    expect((await checkAgainstServer(terminal.store, terminal.client())).differing).toEqual([]);

    setChosenEventId(terminal.store, eventId);
    const core = createCore({ store: terminal.store, caller: { name: 'cli', role: 'admin' } });
    const found = async (query: string) => expectOk(await core.invoke('customers.search', { query })).results.map((hit) => hit.customerId);
    expect(await found(customer.last_name!)).toContain(customer.id);
    expect(await found('Zzyzx')).toEqual([]);
    terminal.store.close();
  });

  it('leaves out, on both sides, the rows changed at the server since the terminal’s last pull', async () => {
    const first = await loadedTerminal('box_office');
    const other = await loadedTerminal('box_office');
    // The other terminal edits a customer and pushes; the first does not pull.
    const customerId = first.store.first(sql.selectFrom('customers').select('id').where('deleted_at', 'is', null).orderBy('id'))!.id;
    setChosenEventId(other.store, eventId);
    const core = createCore({ store: other.store, caller: { name: 'cli', role: 'admin' } });
    expectOk(await core.invoke('customers.update', { customerId, city: 'Elsewhere' }));
    expect((await syncNow(other.store, other.client())).push).toMatchObject({ applied: 1, rejected: 0 });

    const summary = await checkAgainstServer(first.store, first.client());
    expect(summary.differing).toEqual([]);
    // The server left that customer out of its count, as the first terminal did: after a pull, it is counted again.
    await syncNow(first.store, first.client());
    const again = await checkAgainstServer(first.store, first.client());
    expect(again.differing).toEqual([]);
    expect(again.rows).toBe(summary.rows + 1);
    first.store.close();
    other.store.close();
  });

  it('syncs, then checks, as staff ask for it: the commands written settle first, and a server that moved on meanwhile gets one more sync', async () => {
    const terminal = await loadedTerminal('box_office');
    await commandWaiting(terminal.store, { postcode: '1011 AB' });
    expect(commandCount(terminal.store, 'pending')).toBe(1);
    expect((await syncThenCheck(terminal.store, terminal.client())).differing).toEqual([]);
    expect(commandCount(terminal.store, 'pending')).toBe(0);

    // The server answers the first `movedOn` checks as one past maxChangedAfterRows would.
    let movedOn = 0;
    const movingServer: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      if (!String(url).endsWith('/check') || movedOn === 0) return response;
      movedOn -= 1;
      return Response.json({ ...((await response.json()) as object), tables: null });
    };
    const client = enrolledClient(terminal.store, terminal.dataDir, { fetch: movingServer });
    let syncs = 0;
    const sync = async () => {
      syncs += 1;
      await syncNow(terminal.store, client);
    };
    movedOn = 1;
    const summary = await syncThenCheck(terminal.store, client, { sync });
    expect({ syncs, differing: summary.differing }).toEqual({ syncs: 2, differing: [] });
    syncs = 0;
    movedOn = 2;
    await expect(syncThenCheck(terminal.store, client, { sync })).rejects.toBeInstanceOf(ServerMovedOn);
    expect(syncs).toBe(2);
    terminal.store.close();
  });

  it('checks while the terminal’s own commands wait, counting the rows they wrote as before them, and repairs only once they settle', async () => {
    const terminal = await loadedTerminal('box_office');
    // An edit and a scan made here, not pushed: a customer changed, a ticket entered, a scan added.
    await commandWaiting(terminal.store, { city: 'Nowhere' });
    const scans = () => terminal.store.all(sql.selectFrom('scans').select('id')).length;
    const scansBefore = scans();
    const ticket = terminal.store.first(sql.selectFrom('tickets').select('reference').where('event_id', '=', eventId).where('status', '=', 'valid').orderBy('reference'))!;
    const gate = terminal.store.first(sql.selectFrom('gates').select('id').where('event_id', '=', eventId).where('deleted_at', 'is', null).orderBy('id'))!;
    const core = createCore({ store: terminal.store, caller: { name: 'cli', role: 'admin' } });
    expectOk(await core.invoke('checkin.scan', { code: ticket.reference, gateId: gate.id, direction: 'entry' }));
    expect(scans()).toBe(scansBefore + 1);
    expect(commandCount(terminal.store, 'pending')).toBe(2);

    expect((await checkAgainstServer(terminal.store, terminal.client())).differing).toEqual([]);
    const refusal = await checkAgainstServer(terminal.store, terminal.client(), { repair: true }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).message).toBe('2 commands of this terminal are not in the server’s rows yet: sync (box-office sync now), then repair');

    expect((await syncNow(terminal.store, terminal.client())).push).toMatchObject({ pushed: 2, rejected: 0 });
    expect(await checkAgainstServer(terminal.store, terminal.client(), { repair: true })).toMatchObject({ differing: [], repaired: [] });
    terminal.store.close();
  });
});
