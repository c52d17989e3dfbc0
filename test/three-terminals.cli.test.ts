import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { Store } from '../db/store.ts';
import { storeFile } from '../host/data-dir.ts';
import type { ServerStatus } from '../server/admin/status.ts';
import { runCli } from './fixtures/cli.ts';
import { harbourDaysServer, writeHarbourDaysGuests } from './fixtures/harbour-days.ts';
import { killServerProcesses, serverCliJson, startServerProcess, type ServerProcess } from './fixtures/server-cli.ts';
import { syncedRows } from './fixtures/synced-tables.ts';

/**
 * Issue 11's "done when", driven only through the two CLIs as the README shows them: a server on
 * PGlite, an admin terminal that imports the guests, and two box office terminals that lose the
 * server. Offline, both admit the same ticket and each activates a different wristband for the same
 * customer. Once the server is back and every terminal synced, the three hold the same rows, the
 * double admission is flagged and the replaced wristband is reported, on the server and the terminals.
 */

let server: ServerProcess | undefined;
let serverDir: string;
const folders: Record<'admin' | 'north' | 'south', string> = { admin: '', north: '', south: '' };

async function cli(terminal: keyof typeof folders, args: string[]) {
  const result = await runCli([...args, '--data-dir', folders[terminal]]);
  if (result.code !== 0) throw new Error(`box-office ${args.join(' ')} on ${terminal} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

const storeOf = (terminal: keyof typeof folders) => new Store(openDatabase(storeFile(folders[terminal])));

function rowsOf(terminal: keyof typeof folders) {
  const store = storeOf(terminal);
  try {
    // The audit log is each terminal's own record of what ran there (DESIGN.md section 4); it does not sync down.
    const { audit_log: _audit, ...rows } = syncedRows(store.db);
    return rows;
  } finally {
    store.db.close();
  }
}

afterAll(() => killServerProcesses());

describe('three terminals and a server, driven through the CLI, converge after an outage', { timeout: 240_000 }, () => {
  beforeAll(() => {
    const temp = mkdtempSync(join(tmpdir(), 'box-office-three-terminals-'));
    serverDir = join(temp, 'server');
    for (const name of Object.keys(folders) as (keyof typeof folders)[]) folders[name] = join(temp, name);
  });

  it('admits one ticket at two gates offline and activates two wristbands for one customer offline, then converges and reports both', async () => {
    const harbourDays = await harbourDaysServer(serverDir);
    server = harbourDays.server;
    const admin = ['--data-dir', serverDir];
    const enrol = async (terminal: keyof typeof folders, role: string) => cli(terminal, await harbourDays.enrolArgs(role, terminal));

    // The admin desk loads the event (empty), imports the guests and sends them.
    await enrol('admin', 'admin');
    const guests = writeHarbourDaysGuests(join(folders.admin, 'guests.csv'));
    await cli('admin', ['import', 'customers', guests, '--create-types', '--operator', 'Ada']);
    await cli('admin', ['sync', 'now']);

    // Two box offices enrol and load the event with the guests; Ada reaches them with it.
    await enrol('north', 'box_office');
    await enrol('south', 'box_office');
    expect(await cli('north', ['search', 'Mila'])).toMatch(/Mila Jansen/);

    // The venue's network goes down.
    await server.stop();
    expect(await cli('north', ['checkin', 'HD-1003', '--operator', 'Ada', '--json'])).toMatch(/"verdict":"admitted"/);
    expect(await cli('south', ['checkin', 'HD-1003', '--operator', 'Ada', '--json'])).toMatch(/"verdict":"admitted"/);
    await cli('north', ['tag', 'activate', '--ticket', 'HD-1001', '--uid', '04A1B2C3D4E5F6', '--operator', 'Ada']);
    await cli('south', ['tag', 'activate', '--ticket', 'HD-1002', '--uid', '04F6E5D4C3B2A1', '--operator', 'Ada']);
    const offline = await runCli(['sync', 'now', '--data-dir', folders.north]);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/nothing was lost, 2 commands wait on this terminal/);

    // The server is back: every terminal syncs, twice round, and they all hold the same rows.
    server = await startServerProcess(['--data-dir', serverDir, '--port', String(server.port)]);
    for (let round = 0; round < 2; round++) for (const terminal of ['north', 'south', 'admin'] as const) await cli(terminal, ['sync', 'now']);
    const north = rowsOf('north');
    expect(rowsOf('south')).toEqual(north);
    expect(rowsOf('admin')).toEqual(north);

    // Both scans kept, the later one flagged; one of Mila's wristbands active, the other replaced.
    const scans = north.scans!.filter((scan) => scan.code === 'HD-1003');
    expect(scans.map((scan) => scan.verdict)).toEqual(['admitted', 'admitted']);
    expect(scans.map((scan) => scan.double_admission).sort()).toEqual([0, 1]);
    const tags = north.tags!.map((tag) => ({ uid: tag.uid, active: tag.active, reason: tag.inactive_reason }));
    expect(tags.filter((tag) => tag.active === 1)).toHaveLength(1);
    expect(tags.filter((tag) => tag.active === 0)).toEqual([expect.objectContaining({ reason: 'replaced' })]);

    // Reported: the server's status counts the conflicts, each box office lists what its commands met.
    const status = await serverCliJson<ServerStatus>(['status', ...admin]);
    const met = status.conflicts.latest.filter((receipt) => receipt.status === 'applied_with_conflict').map((receipt) => receipt.command.split('.')[0]);
    expect(met.sort()).toEqual(['checkin', 'tags']);
    const conflicts = (['north', 'south'] as const).map(async (terminal) => JSON.parse(await cli(terminal, ['sync', 'status', '--json'])) as { withConflict: number });
    expect((await Promise.all(conflicts)).reduce((sum, one) => sum + one.withConflict, 0)).toBeGreaterThanOrEqual(2);
    await server.stop();
  });
});
