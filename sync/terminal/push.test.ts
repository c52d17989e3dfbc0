import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../core/api/core.ts';
import { serverOffsetMs, terminalShortCode } from '../../core/terminal/state.ts';
import { sql, type Store } from '../../db/store.ts';
import { createEnrolmentCode, revokeDevice } from '../../server/devices/enrolment.ts';
import { buildServerApp } from '../../server/http/app.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { closedPort, listenOnLoopback, loopbackSyncServer } from '../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { checkinTerminalAtServer, syncTime } from '../../test/fixtures/sync-server.ts';
import { DeviceRefused, ServerUnreachable, SyncClient, UpgradeRequired } from './client.ts';
import { deviceTokenFile, readDeviceToken } from './device-token.ts';
import { enrolledClient, enrolTerminal } from './enrolment.ts';
import { pushOutbox } from './push.ts';
import { syncStatus } from './status.ts';

/**
 * The terminal's enrolment and push against a real server over real HTTP (the app listening on a
 * loopback port), on PostgreSQL and on PGlite: receipts land on the outbox, a second push sends
 * nothing, rejections keep their reason, batches split, a gap is closed, and a server that cannot
 * be reached or refuses the terminal changes nothing.
 */


/** The terminal's clock, 5 s behind the server's (which stays at syncTime). */
const terminalClock = { now: () => new Date(Date.parse(syncTime) - 5000) };

const outboxStatuses = (store: Store) => store.all(sql.selectFrom('outbox').select(['seq', 'status', 'rejection']).orderBy('seq'));

describe.each(serverStoreKinds)('the terminal’s enrolment and push, server on %s', (kind) => {
  const suite = loopbackSyncServer(kind);

  /** A check-in terminal whose event the server holds, enrolled as an admin terminal for it, with `scans` scans waiting. */
  async function enrolledTerminal(scans: number) {
    const terminal = await checkinTerminalAtServer(suite.server.db);
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-sync-'));
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'admin', eventId: terminal.eventId });
    const enrolled = await enrolTerminal(terminal.store, { dataDir, serverUrl: `${suite.url}/`, code, name: 'Gate North', clock: terminalClock });
    for (const ticket of terminal.tickets.slice(0, scans)) await terminal.scan(ticket.reference);
    const client = () => enrolledClient(terminal.store, dataDir, { clock: terminalClock });
    return { ...terminal, dataDir, enrolled, client };
  }

  const serverScans = async () => (await suite.server.db.selectFrom('scans').select('id').execute()).length;

  it('enrols under the terminal’s own device id, keeps the token in a 0600 file and not in the store, and records the short code and clock offset', async () => {
    const terminal = await enrolledTerminal(0);
    expect(terminal.enrolled).toMatchObject({ serverUrl: suite.url, deviceId: terminal.deviceId, role: 'admin', eventId: terminal.eventId, name: 'Gate North', enrolledAt: '2026-07-10T11:59:55.000Z' });
    expect(terminalShortCode(terminal.store)).toBe(terminal.enrolled.shortCode);
    expect(serverOffsetMs(terminal.store)).toBe(5000);
    const token = readDeviceToken(terminal.dataDir)!;
    expect(token.length).toBeGreaterThan(20);
    if (process.platform !== 'win32') expect(statSync(deviceTokenFile(terminal.dataDir)).mode & 0o777).toBe(0o600);
    const stored = terminal.store.all(sql.selectFrom('terminal_state').select('value'));
    expect(stored.some((row) => row.value.includes(token))).toBe(false);
    const device = await suite.server.db.selectFrom('devices').select(['name', 'role']).where('id', '=', terminal.deviceId).executeTakeFirstOrThrow();
    expect(device).toEqual({ name: 'Gate North', role: 'admin' });

    // Enrolled already: refused before anything is sent, unless forced.
    const again = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'gate' });
    await expect(enrolTerminal(terminal.store, { dataDir: terminal.dataDir, serverUrl: suite.url, code: again.code })).rejects.toThrow(/enrolled already .*--force/);
    // Forced, the server still refuses a device it has not revoked, and the terminal keeps its enrolment.
    await expect(enrolTerminal(terminal.store, { dataDir: terminal.dataDir, serverUrl: suite.url, code: again.code, force: true })).rejects.toThrow(/revoke it on the server first/);
    expect(syncStatus(terminal.store, terminal.dataDir)).toMatchObject({ enrolled: true, role: 'admin', hasToken: true });
    expect(readDeviceToken(terminal.dataDir)).toBe(token);
  });

  it('pushes the scans waiting: each is applied once, the outbox takes the receipts, and a second push sends nothing', async () => {
    const terminal = await enrolledTerminal(3);
    const before = await serverScans();
    expect(syncStatus(terminal.store, terminal.dataDir)).toMatchObject({ waiting: 3, lastPushAt: null });

    const summary = await pushOutbox(terminal.store, terminal.client(), { clock: terminalClock });
    expect(summary).toMatchObject({ pushed: 3, applied: 3, withConflict: 0, rejected: 0, batches: 1, lastSeq: 3, waiting: 0, rejections: [] });
    expect(outboxStatuses(terminal.store)).toEqual([1, 2, 3].map((seq) => ({ seq, status: 'applied', rejection: null })));
    expect(await serverScans()).toBe(before + 3);
    expect(syncStatus(terminal.store, terminal.dataDir)).toMatchObject({ waiting: 0, rejected: [], lastPushAt: '2026-07-10T11:59:55.000Z', clockOffsetMs: 5000 });

    const again = await pushOutbox(terminal.store, terminal.client());
    expect(again).toMatchObject({ pushed: 0, batches: 1, lastSeq: 3, waiting: 0 });
    expect(await serverScans()).toBe(before + 3);

    // A batch the server took whose answer was lost (the rows still pending): sent again, the
    // server answers its stored receipts and applies nothing twice.
    // In batches of two, the first answer's lastSeq (3) acknowledges #3 before its receipt comes.
    terminal.store.run(sql.updateTable('outbox').set({ status: 'pending' }));
    const seen: string[][] = [];
    const watching: typeof fetch = (input, init) => {
      seen.push(outboxStatuses(terminal.store).map((row) => row.status));
      return fetch(input, init);
    };
    const retry = await pushOutbox(terminal.store, enrolledClient(terminal.store, terminal.dataDir, { fetch: watching }), { limits: { commands: 2 } });
    expect(retry).toMatchObject({ pushed: 3, applied: 3, batches: 2, lastSeq: 3 });
    expect(seen).toEqual([
      ['pending', 'pending', 'pending'],
      ['applied', 'applied', 'acknowledged'],
    ]);
    expect(outboxStatuses(terminal.store).map((row) => row.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await serverScans()).toBe(before + 3);
  });

  it('pulls the rows the push wrote, and reads a first page of the event’s snapshot, through the client (compressed, validated)', async () => {
    const terminal = await enrolledTerminal(2);
    await pushOutbox(terminal.store, terminal.client(), { clock: terminalClock });
    const pulled = await terminal.client().pull({ cursors: { '': 0, [terminal.eventId]: 0 }, limit: 5000 });
    expect(pulled.hasMore).toBe(false);
    expect(pulled.lastSeq).toBe(2);
    expect(pulled.changes.find((table) => table.table === 'scans')?.rows).toHaveLength(2);
    const first = await terminal.client().snapshot({ scope: terminal.eventId });
    expect(first).toMatchObject({ scope: terminal.eventId, version: pulled.cursors[terminal.eventId] });
    const next = first.next!;
    const second = await terminal.client().snapshot({ scope: terminal.eventId, version: first.version, table: next.table, ...(next.after === null ? {} : { after: next.after }) });
    expect(second).toMatchObject({ scope: terminal.eventId, version: first.version, table: next.table });
    await expect(terminal.client().snapshot({ scope: terminal.eventId, version: first.version, table: 'no_such_table' })).rejects.toMatchObject({ status: 400, field: 'table' });
  });

  it('keeps a rejected command with the server’s reason, and pushes the commands after it', async () => {
    const terminal = await enrolledTerminal(1);
    // An operator this server does not know scans at the same terminal.
    const stranger = createCore({ store: terminal.store, clock: terminal.clock, caller: { name: 'stranger', role: 'admin' } });
    expectOk(await stranger.invoke('checkin.scan', { code: terminal.tickets[1]!.reference, gateId: terminal.gates.main, direction: 'entry' }));
    await terminal.scan(terminal.tickets[2]!.reference);

    const summary = await pushOutbox(terminal.store, terminal.client());
    expect(summary).toMatchObject({ pushed: 3, applied: 2, rejected: 1, waiting: 0 });
    expect(summary.rejections).toEqual([expect.objectContaining({ seq: 2, command: 'checkin.scan@1', operator: 'stranger', status: 'rejected', reason: 'stranger is not an operator of this server' })]);
    expect(outboxStatuses(terminal.store)).toEqual([
      { seq: 1, status: 'applied', rejection: null },
      { seq: 2, status: 'rejected', rejection: 'stranger is not an operator of this server' },
      { seq: 3, status: 'applied', rejection: null },
    ]);
    expect(syncStatus(terminal.store, terminal.dataDir).rejected).toEqual(summary.rejections);
  });

  it('splits the outbox into batches of the commands and bytes asked, a bigger envelope travelling alone', async () => {
    const terminal = await enrolledTerminal(5);
    const requests: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      requests.push((JSON.parse(String(init?.body)) as { envelopes: unknown[] }).envelopes.length);
      return fetch(input, init);
    };
    const client = enrolledClient(terminal.store, terminal.dataDir, { fetch: counting });
    expect(await pushOutbox(terminal.store, client, { limits: { commands: 2 } })).toMatchObject({ pushed: 5, applied: 5, batches: 3, lastSeq: 5 });
    expect(requests).toEqual([2, 2, 1]);

    await terminal.scan(terminal.tickets[5]!.reference);
    await terminal.scan(terminal.tickets[0]!.reference, { direction: 'exit' });
    requests.length = 0;
    // 100 bytes hold no envelope: each goes alone.
    expect(await pushOutbox(terminal.store, client, { limits: { bytes: 100 } })).toMatchObject({ pushed: 2, applied: 2, batches: 2, lastSeq: 7 });
    expect(requests).toEqual([1, 1]);
  });

  it('closes a gap: commands the server misses are sent again from its last seq', async () => {
    const terminal = await enrolledTerminal(4);
    // The terminal believes its first two commands applied, but the server never took them (say it
    // was restored from a backup): the push from #3 meets a gap and goes again from #1.
    terminal.store.run(sql.updateTable('outbox').set({ status: 'applied' }).where('seq', '<=', 2));
    const summary = await pushOutbox(terminal.store, terminal.client());
    expect(summary).toMatchObject({ pushed: 4, applied: 4, batches: 2, lastSeq: 4 });
    expect(outboxStatuses(terminal.store).map((row) => row.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const device = await suite.server.db.selectFrom('devices').select('last_seq').where('id', '=', terminal.deviceId).executeTakeFirstOrThrow();
    expect(Number(device.last_seq)).toBe(4);
  });

  it('changes nothing when the server cannot be reached or refuses the terminal', async () => {
    const terminal = await enrolledTerminal(2);
    const port = await closedPort();
    const unreachable = new SyncClient({ serverUrl: `http://127.0.0.1:${port}`, token: readDeviceToken(terminal.dataDir) });
    const outbox = outboxStatuses(terminal.store);
    await expect(pushOutbox(terminal.store, unreachable)).rejects.toThrow(new ServerUnreachable(`Cannot reach the server at http://127.0.0.1:${port} (connection refused: is the server running?)`));
    expect(outboxStatuses(terminal.store)).toEqual(outbox);
    expect(syncStatus(terminal.store, terminal.dataDir).lastPushAt).toBeNull();

    await revokeDevice(suite.server.db, suite.server.clock, terminal.deviceId);
    const refusal = pushOutbox(terminal.store, terminal.client());
    await expect(refusal).rejects.toBeInstanceOf(DeviceRefused);
    await expect(refusal).rejects.toMatchObject({ code: 'revoked', message: 'This terminal was revoked by an administrator: enrol it again with a new code' });
    expect(outboxStatuses(terminal.store)).toEqual(outbox);
    expect(() => enrolledClient(terminal.store, mkdtempSync(join(tmpdir(), 'box-office-sync-')))).toThrow(/device token is missing/);
  });

  it('tells a terminal whose protocol the server no longer speaks to update', async () => {
    const newer = await buildServerApp({ db: suite.server.db, clock: suite.server.clock, logger: pino({ level: 'silent' }), protocolVersions: { oldest: 2, newest: 2 } });
    try {
      const client = new SyncClient({ serverUrl: await listenOnLoopback(newer), token: 'any' });
      await expect(client.push({ envelopes: [] })).rejects.toThrow(UpgradeRequired);
      await expect(client.push({ envelopes: [] })).rejects.toThrow(/Update Box Office on this terminal/);
    } finally {
      await newer.close();
    }
  });
});
