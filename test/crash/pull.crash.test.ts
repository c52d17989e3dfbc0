import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { deviceId } from '../../core/terminal/state.ts';
import { openDatabase } from '../../db/connection.ts';
import { sql, Store } from '../../db/store.ts';
import { storeFile } from '../../host/data-dir.ts';
import { openServerDatabase, type ServerStoreOptions } from '../../server/db/database.ts';
import { pgliteDir } from '../../server/data-folder.ts';
import { createEnrolmentCode } from '../../server/devices/enrolment.ts';
import { enrolledClient, enrolTerminal } from '../../sync/terminal/enrolment.ts';
import { pushOutbox } from '../../sync/terminal/push.ts';
import { pullCursors, settledSeq } from '../../sync/terminal/state.ts';
import { expectOk } from '../fixtures/commands.ts';
import { loadedRows, serverRowsFor } from '../fixtures/first-load.ts';
import { freshPostgresDatabase, serverStoreKinds, type ServerStoreKind } from '../fixtures/server-database.ts';
import { killServerProcesses, startServerProcess } from '../fixtures/server-cli.ts';
import { serverPlusPending } from '../fixtures/server-plus-pending.ts';
import { checkinTerminalAtServer } from '../fixtures/sync-server.ts';
import { otherTerminal } from '../fixtures/terminals.ts';
import { holdLine, leaveBehind, outboxStatuses, pagesCommitted, pullingTerminalProcess, removeLeftovers, runningProcesses, scratchFolder, syncNowProcess, type PullHold } from './processes.ts';

/**
 * Issue 11's crash test for the pull, with real processes: a terminal holding commands of its own
 * (some acknowledged by the server, some never pushed) pulls another terminal's hundreds of
 * commands in small pages, each page one transaction that undoes its commands, upserts the rows,
 * and runs them again (DESIGN.md section 6, "Apply on the terminal"). It is killed with SIGKILL
 * inside a page's transaction, part way through running its commands again, or between two pages.
 *
 * Where it dies is not a guess: the pulling process (test/crash/pulling-terminal.ts) prints where
 * it is and blocks there until the kill. After it the store must be whole and exactly as the last
 * page committed left it; a pull run again must end at the server's rows plus the commands waiting
 * (an oracle that does not use the rebase: test/fixtures/server-plus-pending.ts); and
 * `box-office sync now` must push each waiting command once and end at the server's rows.
 */

/** The other terminal's commands, pushed in batches of `batch`: a version each, a page each at `pageRows`. */
const otherCommands = 480;
const batch = 12;
const pageRows = 30;
/** This terminal's commands the server holds before the pull, and those that wait. */
const acknowledged = 8;
const waiting = 24;

afterEach(async () => {
  runningProcesses.killAll();
  killServerProcesses();
  await removeLeftovers();
});

/**
 * A server store holding the check-in event, this terminal (the data folder the processes open) and
 * another one copied from it, both with enrolment codes for a server process not started yet.
 */
async function terminalsAndServerStore(kind: ServerStoreKind) {
  const serverDataDir = scratchFolder('server');
  const scratch = kind === 'postgres' ? await freshPostgresDatabase() : undefined;
  if (scratch) leaveBehind(() => scratch.drop());
  const options: ServerStoreOptions = scratch ? { postgres: scratch.url } : { pglite: pgliteDir(serverDataDir) };
  const db = await openServerDatabase(options);
  const dataDir = scratchFolder('terminal');
  const terminal = await checkinTerminalAtServer(db, { file: storeFile(dataDir) });
  const other = otherTerminal(terminal.store, { clockStart: '2026-06-01T09:00:00.000Z', operator: 'operator-1' });
  // The server process runs on the system clock: the codes are made on it too.
  const codes: string[] = [];
  for (let code = 0; code < 2; code++) codes.push((await createEnrolmentCode(db, systemClock, { role: 'admin', eventId: terminal.eventId })).code);
  await db.destroy();
  return {
    terminal,
    other,
    dataDir,
    serverArgs: ['--data-dir', serverDataDir, ...(scratch ? ['--database', scratch.url] : [])],
    /** Enrols both terminals at the running server. */
    async enrol(serverUrl: string) {
      await enrolTerminal(terminal.store, { dataDir, serverUrl, code: codes[0]!, name: 'Box office' });
      const otherDataDir = scratchFolder('other');
      await enrolTerminal(other.store, { dataDir: otherDataDir, serverUrl, code: codes[1]!, name: 'Gate North' });
      return enrolledClient(other.store, otherDataDir);
    },
    /** The server's store while no server process runs (PGlite is one process's). */
    async withServerStore<T>(read: (db: Awaited<ReturnType<typeof openServerDatabase>>) => Promise<T>): Promise<T> {
      const server = await openServerDatabase(options);
      try {
        return await read(server);
      } finally {
        await server.destroy();
      }
    },
  };
}

type Terminal = Awaited<ReturnType<typeof terminalsAndServerStore>>['terminal'];
type Core = Terminal['core'];

/**
 * The `index`-th of a terminal's commands, the same mix on both: scans of the event's six tickets
 * (entries and exits, so a verdict depends on the scans before it), edits of one customer's city
 * (last writer wins per field), new accounts and labels. Running one again depends on the rows pulled.
 */
async function writeCommand(core: Core, terminal: Terminal, index: number, prefix: string): Promise<void> {
  const ticket = terminal.tickets[index % terminal.tickets.length]!;
  switch (index % 8) {
    case 0:
      expectOk(await core.invoke('customers.createAccount', { email: `${prefix}-${index}@example.org`, firstName: `${prefix.toUpperCase()} ${index}` }));
      return;
    case 1:
      expectOk(await core.invoke('customers.update', { customerId: terminal.anna, city: `${prefix.toUpperCase()} city ${index}` }));
      return;
    case 2:
      expectOk(await core.invoke('customers.addLabel', { customerId: terminal.anna, label: `Label ${index % 5}` }));
      return;
    default:
      expectOk(await core.invoke('checkin.scan', { code: ticket.reference, gateId: terminal.gates.main, direction: index % 16 < 8 ? 'entry' : 'exit' }));
  }
}

async function writeCommands(core: Core, terminal: Terminal, from: number, count: number, prefix: string): Promise<void> {
  for (let index = from; index < from + count; index++) await writeCommand(core, terminal, index, prefix);
}

/** Customers the search index misses, and search rows of no customer (an undo removed a customer the rebase created). */
const searchIndexGaps = (store: Store) =>
  store.db
    .prepare(
      `SELECT (SELECT count(*) FROM customers WHERE search_rowid IS NULL OR search_rowid NOT IN (SELECT rowid FROM customer_search)) AS unindexed,
        (SELECT count(*) FROM customer_search WHERE rowid NOT IN (SELECT search_rowid FROM customers WHERE search_rowid IS NOT NULL)) AS orphans`,
    )
    .get();

const openStore = (dataDir: string) => new Store(openDatabase(storeFile(dataDir)));
const countOf = (store: Store, table: 'scans' | 'before_images') => Number((store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);

describe.each(serverStoreKinds)('a pull cut by kill -9, server on %s', (kind) => {
  it.each<[string, PullHold]>([
    ['inside a page’s transaction, part way through running its commands again', { inside: 8, afterRerunning: waiting / 2 }],
    ['between two pages', { between: 8 }],
  ])('the terminal killed %s: the store is as the last page left it, and a restart converges with nothing lost or doubled', { timeout: 180_000 }, async (_where, hold) => {
    const setup = await terminalsAndServerStore(kind);
    const { terminal, other } = setup;
    const server = await startServerProcess(['--port', '0', ...setup.serverArgs]);
    const otherClient = await setup.enrol(server.url);

    // The other terminal's commands, a version per batch, with this terminal's first ones among them.
    await writeCommands(other.core, terminal, 0, otherCommands / 2, 'b');
    await pushOutbox(other.store, otherClient, { limits: { commands: batch } });
    await writeCommands(terminal.core, terminal, 0, acknowledged, 'a');
    expect(await pushOutbox(terminal.store, enrolledClient(terminal.store, setup.dataDir))).toMatchObject({ rejected: 0 });
    await writeCommands(other.core, terminal, otherCommands / 2, otherCommands / 2, 'b');
    expect(await pushOutbox(other.store, otherClient, { limits: { commands: batch } })).toMatchObject({ rejected: 0 });
    // And commands of this terminal that wait, one of them an account the other terminal created meanwhile.
    await writeCommands(terminal.core, terminal, acknowledged, waiting, 'a');
    expectOk(await terminal.core.invoke('customers.createAccount', { email: 'b-8@example.org', lastName: 'Matched' }));
    const statuses = outboxStatuses(setup.dataDir);
    const commandsHere = terminal.store.all(sql.selectFrom('outbox').select(['seq', 'id']).orderBy('seq'));
    const scans = countOf(terminal.store, 'scans') + countOf(other.store, 'scans');
    const device = deviceId(terminal.store);
    terminal.store.close();
    expect({ commands: commandsHere.length, pending: statuses.pending }).toEqual({ commands: acknowledged + waiting + 1, pending: waiting + 1 });

    // Killed where the pulling process says it holds.
    const cut = pullingTerminalProcess(setup.dataDir, { limit: pageRows, hold });
    expect(holdLine.parse(JSON.parse(await cut.untilLine((line) => line.startsWith('{"holding"'))))).toEqual('inside' in hold ? { holding: 'inside', page: hold.inside } : { holding: 'between', page: hold.between });
    cut.kill('SIGKILL');
    const killed = await cut.exited;
    expect(killed.signal).toBe('SIGKILL');
    const committed = pagesCommitted(killed.stdout);
    expect(committed.map((page) => page.page)).toEqual(Array.from({ length: 'inside' in hold ? hold.inside - 1 : hold.between }, (_, index) => index + 1));
    expect(committed.every((page) => page.hasMore && page.rerun > 0)).toBe(true);

    // As the last page committed left it, whole: nothing of the page it was in, and no command half undone.
    const atKill = openStore(setup.dataDir);
    expect(atKill.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(atKill.db.pragma('foreign_key_check')).toEqual([]);
    expect(pullCursors(atKill)).toEqual(committed.at(-1)!.cursors);
    expect(settledSeq(atKill)).toBe(committed.at(-1)!.settledSeq);
    expect(searchIndexGaps(atKill)).toEqual({ unindexed: 0, orphans: 0 });
    expect(outboxStatuses(setup.dataDir)).toEqual(statuses);
    atKill.close();

    // Pulled again, to the end: the server's rows plus the commands that wait.
    const resumed = await pullingTerminalProcess(setup.dataDir, { limit: pageRows }).exited;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(pagesCommitted(resumed.stdout).at(-1)).toMatchObject({ hasMore: false });
    await server.stop();
    const pulled = openStore(setup.dataDir);
    const serverRows = await setup.withServerStore((db) => serverRowsFor(db, 'admin'));
    expect(loadedRows(pulled, 'admin')).toEqual(serverPlusPending(pulled, serverRows, 'admin'));
    expect(searchIndexGaps(pulled)).toEqual({ unindexed: 0, orphans: 0 });
    expect(outboxStatuses(setup.dataDir)).toEqual(statuses);
    pulled.close();

    // box-office sync now pushes what waits, once, and ends at the server's rows.
    const restarted = await startServerProcess(['--port', String(server.port), ...setup.serverArgs]);
    const synced = await syncNowProcess(setup.dataDir).exited;
    expect(synced.code, synced.stderr).toBe(0);
    await restarted.stop();
    const store = openStore(setup.dataDir);
    const final = await setup.withServerStore(async (db) => ({
      rows: await serverRowsFor(db, 'admin'),
      receipts: await db.selectFrom('receipts').select(['seq', 'envelope_id']).where('device_id', '=', device).orderBy('seq').execute(),
      scans: Number((await db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      versions: Object.fromEntries((await db.selectFrom('event_versions').select(['scope', 'version']).execute()).map((row) => [row.scope, Number(row.version)])),
    }));
    expect(loadedRows(store, 'admin')).toEqual(final.rows);
    // One receipt for each of its commands, for the envelope it wrote.
    expect(final.receipts.map((receipt) => ({ seq: Number(receipt.seq), id: receipt.envelope_id }))).toEqual(commandsHere);
    expect(Object.keys(outboxStatuses(setup.dataDir)).filter((status) => status === 'pending' || status === 'rejected')).toEqual([]);
    expect({ terminal: countOf(store, 'scans'), server: final.scans }).toEqual({ terminal: scans, server: scans });
    expect(pullCursors(store)).toEqual({ '': final.versions[''], [terminal.eventId]: final.versions[terminal.eventId] });
    expect(countOf(store, 'before_images')).toBe(0);
    expect(searchIndexGaps(store)).toEqual({ unindexed: 0, orphans: 0 });
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });
});
