import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../core/api/pubsub.ts';
import type { SyncStatusView } from '../../core/sync/sync.contract.ts';
import { createEnrolmentCode } from '../../server/devices/enrolment.ts';
import { recordEnrolment, terminalEnrolment } from '../../sync/terminal/state.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { closedPort, loopbackSyncServer } from '../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { checkinTerminalAtServer } from '../../test/fixtures/sync-server.ts';
import { storeFile } from '../data-dir.ts';
import { createHost, type Host } from '../host.ts';

/**
 * The sync worker in a host, against a real server on loopback: enrolled from the API, it pushes
 * what the terminal writes in the background, and every change of where the terminal stands
 * reaches the core's subscribers as `sync.status`. No test waits for time: each waits for the
 * status it expects.
 */

const opened: Host[] = [];
afterEach(async () => {
  for (const host of opened.splice(0)) {
    await host.sync.stop();
    host.close();
  }
});

/** A host on the terminal's data folder, its sync started, and the statuses it publishes. */
async function syncingHost(dataDir: string, clock: { now(): Date }) {
  const host = createHost({
    dataDir,
    clock,
    caller: { name: 'operator-1', role: 'admin' },
    logLevel: 'silent',
    syncTiming: { periodMs: 600_000, backoff: { initialMs: 50, maxMs: 400 } },
  });
  opened.push(host);
  const statuses: SyncStatusView[] = [];
  const waiting: { matches(status: SyncStatusView): boolean; resolve(status: SyncStatusView): void }[] = [];
  host.core.subscribe((event: CoreEvent) => {
    if (event.type !== 'sync.status') return;
    statuses.push(event.status);
    for (const waiter of [...waiting]) {
      if (waiter.matches(event.status)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(event.status);
      }
    }
  });
  host.sync.start();
  return {
    host,
    statuses,
    /** The next published status that matches (one already published counts, from `since` on). */
    status(matches: (status: SyncStatusView) => boolean, since = 0): Promise<SyncStatusView> {
      const found = statuses.slice(since).find(matches);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiting.push({ matches, resolve }));
    },
  };
}

const settledOnline = (status: SyncStatusView) => status.connection === 'online' && !status.syncing;

describe.each(serverStoreKinds)('the sync worker in a host, server on %s', (kind) => {
  const suite = loopbackSyncServer(kind);

  it('enrols from the Sync screen, pushes a scan in the background and shows it waiting, then synced', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-sync-worker-'));
    const terminal = await checkinTerminalAtServer(suite.server.db, { file: storeFile(dataDir) });
    const { host, status, statuses } = await syncingHost(dataDir, terminal.clock);

    expect(expectOk(await host.core.invoke('sync.status', {}))).toMatchObject({ enrolled: false, connection: 'not_enrolled', running: false, waiting: 0 });
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'admin', eventId: terminal.eventId });
    const enrolled = expectOk(await host.core.invoke('sync.enrol', { serverUrl: `${suite.url}/`, code, name: ' Gate 1 ' }));
    expect(enrolled).toMatchObject({
      enrolled: true,
      serverUrl: suite.url,
      deviceName: 'Gate 1',
      role: 'admin',
      eventId: terminal.eventId,
      eventName: 'Summer Festival',
      eventChosen: true,
      running: true,
      hasToken: true,
    });
    await status(settledOnline);

    const ticket = terminal.tickets[0]!;
    const before = statuses.length;
    expectOk(await host.core.invoke('checkin.scan', { code: ticket.reference, gateId: terminal.gates.main, direction: 'entry' }));
    expect(await status((s) => s.waiting === 1, before)).toMatchObject({ waiting: 1 });
    const synced = await status((s) => settledOnline(s) && s.waiting === 0, before);
    expect(synced).toMatchObject({ problem: null, rejected: 0, running: true });
    expect(synced.lastSyncAt).not.toBeNull();
    const pushed = await suite.server.db.selectFrom('scans').select('code').where('device_id', '=', terminal.deviceId).execute();
    expect(pushed).toEqual([{ code: ticket.reference }]);

    expect(expectOk(await host.core.invoke('sync.now', {}))).toEqual({ pushed: 0, applied: 0, withConflict: 0, rejected: 0, pulledRows: 0, waiting: 0, caughtUp: true });

    // Stopping ends the thread (its exit awaited): nothing keeps running after the host closes.
    await host.sync.stop();
    expect(expectOk(await host.core.invoke('sync.status', {}))).toMatchObject({ running: false, enrolled: true });
    expect(await host.core.invoke('sync.now', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('checks every table with the server in the worker, names one gone wrong behind its back and reloads it on request', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-sync-worker-'));
    const terminal = await checkinTerminalAtServer(suite.server.db, { file: storeFile(dataDir) });
    const { host, status } = await syncingHost(dataDir, terminal.clock);
    expect(await host.core.invoke('sync.check', {})).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'This terminal is not enrolled: an admin enrols it with a code from the central server' },
    });
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'admin', eventId: terminal.eventId });
    expectOk(await host.core.invoke('sync.enrol', { serverUrl: suite.url, code }));
    await status(settledOnline);

    // A scan waiting: the check's own sync settles it first, so the check does not refuse.
    await terminal.scan(terminal.tickets[4]!.reference);
    const same = expectOk(await host.core.invoke('sync.check', {}));
    expect(same).toMatchObject({ differing: [], repaired: [] });
    expect(same.tables).toBeGreaterThan(10);
    expect(expectOk(await host.core.invoke('sync.status', {}))).toMatchObject({ waiting: 0 });

    terminal.store.db.exec('UPDATE tickets SET redeemed = 1 - redeemed WHERE rowid = (SELECT min(rowid) FROM tickets)');
    const differs = expectOk(await host.core.invoke('sync.check', {}));
    expect(differs.differing).toEqual([{ table: 'tickets', terminalRows: expect.any(Number), serverRows: expect.any(Number), reason: 'the same number of rows, with different contents' }]);
    expect(differs.repaired).toEqual([]);

    const repaired = expectOk(await host.core.invoke('sync.check', { repair: true }));
    expect(repaired.differing).toEqual([]);
    expect(repaired.repaired).toEqual([{ table: 'tickets', reloaded: differs.differing[0]!.serverRows, removed: 0 }]);
    expect(expectOk(await host.core.invoke('sync.check', {})).differing).toEqual([]);
    expect(expectOk(await host.core.invoke('sync.status', {}))).toMatchObject({ connection: 'online', problem: null });

    await host.sync.stop();
    expect(await host.core.invoke('sync.check', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('lists a command the server rejected with its reason and the customer and ticket it concerns', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-sync-worker-'));
    const terminal = await checkinTerminalAtServer(suite.server.db, { file: storeFile(dataDir) });
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'admin', eventId: terminal.eventId });
    const { host, status } = await syncingHost(dataDir, terminal.clock);
    expectOk(await host.core.invoke('sync.enrol', { serverUrl: suite.url, code }));
    await status(settledOnline);

    // An operator the server does not know: the server refuses the scan, the terminal keeps it.
    const ticket = terminal.tickets[1]!;
    await terminal.scan(ticket.reference);
    expect(expectOk(await host.core.invoke('sync.now', {}))).toMatchObject({ pushed: 1, rejected: 0, applied: 1 });
    const stranger = createHost({ dataDir, clock: terminal.clock, caller: { name: 'stranger', role: 'admin' }, logLevel: 'silent' });
    opened.push(stranger);
    expectOk(await stranger.core.invoke('checkin.scan', { code: terminal.tickets[2]!.reference, gateId: terminal.gates.main, direction: 'entry' }));
    // The worker may push it first (the first push's live announcement starts a sync of its own):
    // "Sync now" answers a run that started after it was asked, so the rejection is known by then.
    expectOk(await host.core.invoke('sync.now', {}));

    expect(expectOk(await host.core.invoke('sync.status', {}))).toMatchObject({ rejected: 1, waiting: 0, connection: 'online' });
    const { commands, total } = expectOk(await host.core.invoke('sync.commands', { status: 'rejected' }));
    expect(total).toBe(1);
    expect(commands).toEqual([
      expect.objectContaining({
        command: 'checkin.scan@1',
        label: 'Scanned at a gate',
        operator: 'stranger',
        status: 'rejected',
        reason: 'stranger is not an operator of this server',
        customerId: terminal.anna,
        concerns: [
          { kind: 'customer', id: terminal.anna, label: 'Anna Berg' },
          { kind: 'ticket', id: terminal.tickets[2]!.id, label: `Ticket ${terminal.tickets[2]!.reference}` },
        ],
      }),
    ]);
    expect(expectOk(await host.core.invoke('sync.commands', { status: 'pending' }))).toEqual({ commands: [], total: 0 });
  });

  it('shows the terminal offline with its commands waiting when the server cannot be reached, and says so to "Sync now"', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-sync-worker-'));
    const terminal = await checkinTerminalAtServer(suite.server.db, { file: storeFile(dataDir) });
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'admin', eventId: terminal.eventId });
    const setup = await syncingHost(dataDir, terminal.clock);
    expectOk(await setup.host.core.invoke('sync.enrol', { serverUrl: suite.url, code }));
    await setup.host.sync.stop();
    // The same enrolment, at an address where nothing listens any more.
    const gone = `http://127.0.0.1:${await closedPort()}`;
    recordEnrolment(terminal.store, { ...terminalEnrolment(terminal.store)!, serverUrl: gone });
    await terminal.scan(terminal.tickets[3]!.reference);

    const { host, status } = await syncingHost(dataDir, terminal.clock);
    const offline = await status((s) => s.connection === 'offline');
    expect(offline).toMatchObject({ waiting: 1, running: true, serverUrl: gone });
    expect(offline.problem).toBe(`Cannot reach the server at ${gone} (connection refused: is the server running?)`);
    expect(offline.retryAt).not.toBeNull();
    expect(await host.core.invoke('sync.now', {})).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: `Cannot reach the server at ${gone} (connection refused: is the server running?): nothing was lost, 1 command waits on this terminal for the next sync` },
    });
  });

  it('refuses a wrong code or an address where no server answers under the field concerned, and an enrolled terminal unless asked to enrol again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-sync-worker-'));
    const terminal = await checkinTerminalAtServer(suite.server.db, { file: storeFile(dataDir) });
    const { host } = await syncingHost(dataDir, terminal.clock);
    const wrong = await host.core.invoke('sync.enrol', { serverUrl: suite.url, code: 'NOT-A-CODE' });
    expect(wrong).toMatchObject({ ok: false, error: { field: 'code' } });
    const nowhere = `http://127.0.0.1:${await closedPort()}`;
    expect(await host.core.invoke('sync.enrol', { serverUrl: nowhere, code: 'K7Q2-9XHD' })).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: `Cannot reach the server at ${nowhere} (connection refused: is the server running?)`, field: 'serverUrl' },
    });
    expect(expectOk(await host.core.invoke('sync.status', {}))).toMatchObject({ enrolled: false, running: false });

    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'box_office', eventId: terminal.eventId });
    expectOk(await host.core.invoke('sync.enrol', { serverUrl: suite.url, code }));
    const again = await host.core.invoke('sync.enrol', { serverUrl: suite.url, code });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'force' } });
    expect(again.ok ? '' : again.error.message).toMatch(/^This terminal is enrolled already \(at .* as box_office, since .*\): tick "Enrol again" to replace it$/);
  });
});
