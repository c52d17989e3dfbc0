import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { protocolHeader, protocolVersion } from '../../sync/protocol.ts';
import { runServerCli, serverCliJson } from '../../test/fixtures/server-cli.ts';
import { freshPostgresDatabase, serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { pgliteDir, serverFile } from '../data-folder.ts';
import { openServerDatabase } from '../db/database.ts';
import { startServer, type StartedServer } from '../main.ts';
import { openAdminClient } from './admin-client.ts';

/**
 * The administration commands, run in this process: on a store they open themselves when no
 * server runs, and through the running server's admin routes when one does (a PGlite database is
 * open in one process only), with the same results either way.
 */

// Opening a PGlite database takes seconds, several on a loaded machine: a bound, not a timing goal.
const opening = 60_000;

const event = ['--name', 'Harbour Days', '--starts', '2026-08-01T10:00:00+02:00', '--ends', '2026-08-02T23:00:00+02:00', '--time-zone', 'Europe/Amsterdam', '--currency', 'EUR'];

describe.each(serverStoreKinds)('box-office-server administration on %s', { timeout: opening }, (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'box-office-server-cli-'));
  let store: string[] = [];
  let dropDatabase = async () => {};
  let server: StartedServer | undefined;

  beforeAll(async () => {
    if (kind === 'postgres') {
      const database = await freshPostgresDatabase();
      store = ['--data-dir', dataDir, '--database', database.url];
      dropDatabase = database.drop;
    } else {
      // A data folder a server has run on: its PGlite database exists.
      await (await openServerDatabase({ pglite: pgliteDir(dataDir) })).destroy();
      store = ['--data-dir', dataDir];
    }
  }, opening);
  afterAll(async () => {
    await server?.close();
    await dropDatabase();
  }, opening);

  const database = () => (kind === 'postgres' ? store[3] : undefined);

  it('open the store themselves when no server runs', async () => {
    expect((await openAdminClient({ dataDir, database: database(), clock: systemClock }).then(async (client) => (await client.close(), client.via)))).toBe('store');

    const { id } = await serverCliJson<{ id: string }>(['events', 'create', ...event, ...store]);
    expect((await serverCliJson<{ events: { id: string; name: string; startsAt: string }[] }>(['events', 'list', ...store])).events).toEqual([
      expect.objectContaining({ id, name: 'Harbour Days', startsAt: '2026-08-01T08:00:00.000Z', timeZone: 'Europe/Amsterdam', currency: 'EUR' }),
    ]);
    expect(await runServerCli(['operators', 'add', '--name', 'Ada', '--role', 'admin', '--pin', '1234', ...store])).toEqual({
      code: 0,
      stdout: 'Added Ada (admin); terminals receive them at their next sync.\n',
      stderr: '',
    });
    const code = await serverCliJson<{ code: string; expiresAt: string }>(['enrol-code', '--role', 'gate', '--event', id, '--expires', '2h', ...store]);
    expect(code.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(Date.parse(code.expiresAt) - Date.now()).toBeGreaterThan(60 * 60 * 1000);
    expect(await serverCliJson(['devices', 'list', ...store])).toEqual({ devices: [] });
    const status = await serverCliJson<{ events: { id: string; version: number }[]; conflicts: { count: number } }>(['status', ...store]);
    expect(status.events).toEqual([{ id, name: 'Harbour Days', version: 1 }]);
    expect(status.conflicts.count).toBe(0);
    expect((await runServerCli(['status', ...store])).stdout).toMatch(/^Terminals: none enrolled yet\.\n\nVersions:\nEvent +Version\nHarbour Days +1\n/);
  });

  it('go through the running server’s admin routes, which a terminal then enrols with', async () => {
    server = await startServer({ dataDir, database: database(), port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }) });
    expect(statSync(serverFile(dataDir)).mode & 0o777).toBe(0o600);
    const client = await openAdminClient({ dataDir, database: database(), clock: systemClock });
    expect(client.via).toBe('server');
    await client.close();

    const { code } = await serverCliJson<{ code: string }>(['enrol-code', '--role', 'box_office', ...store]);
    const enrolled = await fetch(`${server.url}/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [protocolHeader]: String(protocolVersion) },
      body: JSON.stringify({ code, name: 'Counter 1' }),
    }).then((response) => response.json() as Promise<{ deviceId: string; shortCode: string }>);
    const { devices } = await serverCliJson<{ devices: { id: string; name: string; role: string; shortCode: string; revokedAt: string | null }[] }>(['devices', 'list', ...store]);
    expect(devices).toEqual([expect.objectContaining({ id: enrolled.deviceId, name: 'Counter 1', role: 'box_office', shortCode: enrolled.shortCode, revokedAt: null })]);
    expect((await runServerCli(['devices', 'list', ...store])).stdout).toMatch(new RegExp(`^Code +Name +Role .*\\n${enrolled.shortCode} +Counter 1 +box_office `));

    const revoked = await runServerCli(['devices', 'revoke', enrolled.deviceId, ...store]);
    expect(revoked).toEqual({ code: 0, stdout: `Revoked ${enrolled.shortCode} (Counter 1): its next request is refused.\n`, stderr: '' });
    expect(await runServerCli(['operators', 'add', '--name', 'ADA', '--role', 'steward', '--pin', '9999', ...store])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'box-office-server: An operator named ADA exists already\n',
    });
    expect((await runServerCli(['enrol-code', '--role', 'gate', '--event', 'no-such-event', ...store])).stderr).toBe(
      'box-office-server: No event no-such-event on this server (box-office-server events list shows them)\n',
    );
  });

  it('open the store themselves again once the server stopped, and find what was done through it', async () => {
    await server!.close();
    server = undefined;
    expect(existsSync(serverFile(dataDir))).toBe(false);
    const { devices } = await serverCliJson<{ devices: { name: string; revokedAt: string | null }[] }>(['devices', 'list', ...store]);
    expect(devices).toEqual([expect.objectContaining({ name: 'Counter 1', revokedAt: expect.any(String) })]);
    expect((await serverCliJson<{ operators: { name: string }[] }>(['operators', 'list', ...store])).operators.map((operator) => operator.name)).toEqual(['Ada']);
  });
});

describe('box-office-server with no server to reach', { timeout: opening }, () => {
  // One PGlite data folder for these tests: opening one takes seconds.
  const dataDir = mkdtempSync(join(tmpdir(), 'box-office-server-alone-'));
  beforeAll(async () => {
    await (await openServerDatabase({ pglite: pgliteDir(dataDir) })).destroy();
  }, opening);

  it('opens the store itself when a server that no longer runs left server.json and its lock behind', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(serverFile(dataDir), JSON.stringify({ pid: gone, url: 'http://127.0.0.1:9', port: 9, adminToken: 'x'.repeat(43), startedAt: '2026-07-01T09:00:00.000Z' }));
    writeFileSync(join(dataDir, 'store.lock'), JSON.stringify({ pid: gone, by: 'box-office-server', since: '2026-07-01T09:00:00.000Z' }));
    expect(await runServerCli(['operators', 'list', '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^No operators yet/) });
    expect(existsSync(join(dataDir, 'store.lock'))).toBe(false);
    rmSync(serverFile(dataDir));
  });

  it('refuses a PGlite data folder another running process holds, and one with no database', async () => {
    // The process that ran this test holds it (a server starting, say): it runs.
    writeFileSync(join(dataDir, 'store.lock'), JSON.stringify({ pid: process.ppid, by: 'box-office-server', since: '2026-07-01T09:00:00.000Z' }));
    const locked = await runServerCli(['events', 'list', '--data-dir', dataDir]);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(new RegExp(`^box-office-server: The data folder ${dataDir} is in use by box-office-server \\(process ${process.ppid}, since`));
    rmSync(join(dataDir, 'store.lock'));

    const empty = mkdtempSync(join(tmpdir(), 'box-office-server-empty-'));
    expect(await runServerCli(['status', '--data-dir', empty])).toEqual({
      code: 1,
      stdout: '',
      stderr: `box-office-server: No Box Office server data in ${empty} (check --data-dir, or give --database; box-office-server start creates it)\n`,
    });
  });

  it('start says so when its port is taken, and leaves no server.json or lock behind', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      expect(await runServerCli(['start', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'silent'])).toEqual({
        code: 1,
        stdout: '',
        stderr: `box-office-server: Port ${port} is in use already: choose another with --port\n`,
      });
    } finally {
      taken.close();
    }
    expect(existsSync(serverFile(dataDir))).toBe(false);
    expect(existsSync(join(dataDir, 'store.lock'))).toBe(false);
  });
});
