import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { openDatabase } from '../../db/connection.ts';
import { Store } from '../../db/store.ts';
import { storeFile } from '../../host/data-dir.ts';
import { openServerDatabase, type ServerStoreOptions } from '../../server/db/database.ts';
import { pgliteDir } from '../../server/data-folder.ts';
import { createEnrolmentCode } from '../../server/devices/enrolment.ts';
import { enrolTerminal } from '../../sync/terminal/enrolment.ts';
import { freshPostgresDatabase, serverStoreKinds, type ServerStoreKind } from '../fixtures/server-database.ts';
import { checkinTerminalAtServer } from '../fixtures/sync-server.ts';
import { killServerProcesses, startServerProcess } from '../fixtures/server-cli.ts';
import { leaveBehind, outboxStatuses, removeLeftovers, runningProcesses, scratchFolder, syncNowProcess, untilOutbox } from './processes.ts';

/**
 * Issue 11's crash tests for the push, with real processes: `box-office sync now` and
 * `box-office-server start`, each killed with SIGKILL in the middle of a push of 4,000 scans (8
 * requests of 500). Nothing may be lost or doubled: after a restart and a second `sync now`, the
 * server holds each scan once, one receipt per command, and the terminal has none waiting.
 *
 * The kill comes when the terminal's outbox shows some commands acknowledged and some waiting, read
 * from a second connection to its store (WAL), so it always lands between the first and the last
 * request, whatever the machine's speed; the test fails, never passes vacuously, if the push ends first.
 */

const scans = 4000;

afterEach(async () => {
  runningProcesses.killAll();
  killServerProcesses();
  await removeLeftovers();
});

/** A server store with the check-in event, a terminal data folder holding `scans` scans waiting, enrolled at a server that is not started yet. */
async function terminalAndServerStore(kind: ServerStoreKind) {
  const serverDataDir = scratchFolder('server');
  const scratch = kind === 'postgres' ? await freshPostgresDatabase() : undefined;
  if (scratch) leaveBehind(() => scratch.drop());
  const options: ServerStoreOptions = scratch ? { postgres: scratch.url } : { pglite: pgliteDir(serverDataDir) };
  const db = await openServerDatabase(options);
  const dataDir = scratchFolder('terminal');
  const terminal = await checkinTerminalAtServer(db, { file: storeFile(dataDir) });
  // The server process runs on the system clock: the code is made on it too.
  const { code } = await createEnrolmentCode(db, systemClock, { role: 'admin', eventId: terminal.eventId });
  await db.destroy();
  for (let scan = 0; scan < scans; scan++) {
    await terminal.scan(terminal.tickets[scan % terminal.tickets.length]!.reference, { direction: scan % 12 < 6 ? 'entry' : 'exit' });
  }
  terminal.store.db.close();
  const serverArgs = scratch ? ['--database', scratch.url] : [];
  return {
    dataDir,
    serverDataDir,
    serverArgs,
    code,
    /** The server's rows once it is stopped: opened again in this process (PGlite is one process's). */
    async serverCounts() {
      const server = await openServerDatabase(options);
      try {
        const count = async (table: 'scans' | 'receipts') => Number((await server.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        const distinctSeqs = await server.selectFrom('receipts').select('seq').distinct().execute();
        return { scans: await count('scans'), receipts: await count('receipts'), distinctSeqs: distinctSeqs.length };
      } finally {
        await server.destroy();
      }
    },
    async drop() {
      await scratch?.drop();
    },
  };
}

describe.each(serverStoreKinds)('a push cut by kill -9, server on %s', (kind) => {
  it('the terminal killed during its push: run again, it sends the rest and the server holds every scan once', { timeout: 180_000 }, async () => {
    const setup = await terminalAndServerStore(kind);
    const server = await startServerProcess(['--data-dir', setup.serverDataDir, '--port', '0', ...setup.serverArgs]);
    const store = new Store(openDatabase(storeFile(setup.dataDir)));
    await enrolTerminal(store, { dataDir: setup.dataDir, serverUrl: server.url, code: setup.code, name: 'Gate North' });
    store.db.close();

    const first = syncNowProcess(setup.dataDir);
    const atKill = await untilOutbox(setup.dataDir, (statuses) => (statuses.pending ?? 0) > 0 && (statuses.pending ?? 0) < scans, first);
    first.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(atKill.pending).toBeLessThan(scans);

    const second = syncNowProcess(setup.dataDir);
    expect(await second.exited).toMatchObject({ code: 0 });
    expect(outboxStatuses(setup.dataDir)).toEqual({ applied: scans });
    await server.stop();
    expect(await setup.serverCounts()).toEqual({ scans, receipts: scans, distinctSeqs: scans });
    await setup.drop();
  });

  it('the server killed during a push: restarted, it takes the rest, and nothing is lost or doubled', { timeout: 180_000 }, async () => {
    const setup = await terminalAndServerStore(kind);
    const first = await startServerProcess(['--data-dir', setup.serverDataDir, '--port', '0', ...setup.serverArgs]);
    const store = new Store(openDatabase(storeFile(setup.dataDir)));
    await enrolTerminal(store, { dataDir: setup.dataDir, serverUrl: first.url, code: setup.code, name: 'Gate North' });
    store.db.close();

    const pushing = syncNowProcess(setup.dataDir);
    await untilOutbox(setup.dataDir, (statuses) => (statuses.pending ?? 0) > 0 && (statuses.pending ?? 0) < scans, pushing);
    await first.kill();
    // The terminal's push meets a server that is gone: it says so and keeps what waits.
    const cut = await pushing.exited;
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/nothing was lost, [\d,]+ commands wait on this terminal/);
    expect(outboxStatuses(setup.dataDir).pending).toBeGreaterThan(0);

    // Restarted on the same store and port, as after a power cut.
    const restarted = await startServerProcess(['--data-dir', setup.serverDataDir, '--port', String(first.port), ...setup.serverArgs]);
    const again = syncNowProcess(setup.dataDir);
    expect(await again.exited).toMatchObject({ code: 0 });
    expect(outboxStatuses(setup.dataDir)).toEqual({ applied: scans });
    await restarted.stop();
    expect(await setup.serverCounts()).toEqual({ scans, receipts: scans, distinctSeqs: scans });
    await setup.drop();
  });
});
