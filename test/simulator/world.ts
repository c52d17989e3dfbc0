import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql as kyselySql, type Kysely } from 'kysely';
import { runCommand } from '../../core/commands/command.ts';
import { NothingChanged } from '../../core/commands/nothing-changed.ts';
import { importCustomersBatch } from '../../core/csv/import-batch.ts';
import { importRowSchema } from '../../core/csv/import-row.ts';
import { profileFields } from '../../core/customers/profile-fields.ts';
import { DomainError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { sql, Store } from '../../db/store.ts';
import { createEnrolmentCode } from '../../server/devices/enrolment.ts';
import { pulledTables } from '../../server/sync/pulled-tables.ts';
import { SyncError } from '../../sync/terminal/client.ts';
import { enrolledClient, enrolTerminal } from '../../sync/terminal/enrolment.ts';
import { pullUntilCaughtUp } from '../../sync/terminal/pull.ts';
import { syncNow, type SyncNowSummary } from '../../sync/terminal/sync-now.ts';
import { inputOf, journalSetup, type JournalPools, type JournalStep } from '../fixtures/journal.ts';
import { loadRows } from '../fixtures/postgres-mirror.ts';
import { openSyncServer, stampSyncedRows, syncTime, type SyncServer } from '../fixtures/sync-server.ts';
import { comparableRows, syncedRowsToLoad, terminalOnlyColumns, type TableRows } from '../fixtures/synced-tables.ts';
import { otherTerminal } from '../fixtures/terminals.ts';
import { SimulatedNetwork, type Fault } from './network.ts';
import { serverPlusPendingStore } from '../fixtures/server-plus-pending.ts';

/**
 * The sync simulator's world (issue 11 item 6): one server on PGlite and N terminals in this
 * process, all started from the same festival (the journal fixture), each terminal with its own
 * clock, skewed, and its own operator, speaking to the server through a network that fails as the
 * steps say. Steps are data (fast-check makes them); `run` plays them in order, `heal` mends the
 * network and syncs everyone until nothing moves, and the checks say what must hold after.
 */

export type SimulationStep =
  | { kind: 'command'; terminal: number; step: JournalStep }
  | { kind: 'sync'; terminal: number; fault: Fault }
  /** A pull alone: the terminal's worker pulling on a live announcement while commands written after its last push wait. */
  | { kind: 'pull'; terminal: number; fault: Fault }
  /** An import batch of customers and tickets that overlap what the other terminals import and hold. */
  | { kind: 'import'; terminal: number; rows: readonly { a: number; b: number; flag: boolean }[] }
  | { kind: 'cut'; terminal: number; cut: boolean }
  | { kind: 'late' };

export interface Terminal {
  index: number;
  store: Store;
  core: ReturnType<typeof otherTerminal>['core'];
  dataDir: string;
  operator: string;
}

export interface World {
  server: SyncServer;
  network: SimulatedNetwork;
  terminals: Terminal[];
  pools: JournalPools;
  eventId: string;
  /** Every failed check of the "after each pull" kind, as it happened. */
  readonly log: string[];
  /** How often the "after each pull" oracle ran, and how often with commands pending (a rebase that mattered). */
  readonly stats: { checks: number; checksWithPending: number };
}

const terminalRole = 'admin';

/** Clock skew per terminal, in ms: one behind the server, one ahead, one right (more terminals cycle). */
const skews = [-90_000, 0, 75_000];

export async function openWorld(terminalCount: number): Promise<World> {
  const base = journalSetup();
  const server = await openSyncServer('pglite');
  await loadRows(server.db, syncedRowsToLoad(base.store.db));
  await stampSyncedRows(server.db);
  const network = new SimulatedNetwork(server.app);
  const terminals: Terminal[] = [];
  for (let index = 0; index < terminalCount; index++) {
    const operator = `operator-${index + 1}`;
    await server.db
      .insertInto('operators')
      .values({ id: newId(), name: operator, name_key: operator, role: 'admin', pin_hash: 'scrypt$test', created_at: syncTime, updated_at: syncTime, server_version: null, deleted_at: null })
      .execute();
    const start = new Date(Date.parse(syncTime) + skews[index % skews.length]!).toISOString();
    const { store, core } = otherTerminal(base.store, { clockStart: start, operator, role: 'admin' });
    const dataDir = mkdtempSync(join(tmpdir(), `box-office-simulated-terminal-${index + 1}-`));
    const { code } = await createEnrolmentCode(server.db, server.clock, { role: terminalRole, eventId: base.eventId });
    await enrolTerminal(store, { dataDir, serverUrl: 'http://simulated-server', code, name: `Terminal ${index + 1}`, fetch: network.fetchOf(index) });
    terminals.push({ index, store, core, dataDir, operator });
  }
  base.store.db.close();
  return { server, network, terminals, pools: base.pools, eventId: base.eventId, log: [], stats: { checks: 0, checksWithPending: 0 } };
}

export async function closeWorld(world: World): Promise<void> {
  for (const terminal of world.terminals) terminal.store.db.close();
  await world.server.close();
}

function clientOf(world: World, terminal: Terminal) {
  return enrolledClient(terminal.store, terminal.dataDir, { fetch: world.network.fetchOf(terminal.index) });
}

/** A sync or a pull of one terminal; a network failure is an outcome like any other (the terminal retries later). */
async function unlessNetworkFails<T>(exchange: () => Promise<T>): Promise<T | undefined> {
  try {
    return await exchange();
  } catch (error) {
    if (error instanceof SyncError) return undefined;
    throw error;
  }
}

const sync = (world: World, terminal: Terminal): Promise<SyncNowSummary | undefined> => unlessNetworkFails(() => syncNow(terminal.store, clientOf(world, terminal)));

export async function runStep(world: World, step: SimulationStep): Promise<void> {
  const terminal = 'terminal' in step ? world.terminals[step.terminal % world.terminals.length]! : undefined;
  switch (step.kind) {
    case 'command':
      // A refusal (a rule, an unknown id picked) is a result too: it writes nothing.
      await terminal!.core.invoke(step.step.command as never, inputOf(terminal!.store, world.pools, step.step) as never);
      return;
    case 'import': {
      // Rows that meet: e-mails the festival holds or new ones, references TCK-1..6 held and TCK-7..8 new.
      const rows = step.rows.map(({ a, b, flag }, index) =>
        importRowSchema.parse({
          // Every profile cell present, as a CSV row gives them: empty unless set below.
          ...Object.fromEntries(Object.keys(profileFields).map((field) => [field, ''])),
          row: index + 2,
          email: flag ? world.pools.emails[a % world.pools.emails.length]! : `guest-${a % 5}@example.org`,
          firstName: `Guest ${b % 4}`,
          ticketReference: b % 3 === 0 ? null : `TCK-${1 + (b % 8)}`,
          ticketType: 'Weekend',
        }),
      );
      try {
        runCommand(terminal!.core.context, importCustomersBatch, { eventId: world.eventId, ticketTypes: { mapTo: {}, create: [], createAny: true }, rows });
      } catch (error) {
        if (!(error instanceof DomainError) && !(error instanceof NothingChanged)) throw error;
      }
      return;
    }
    case 'cut':
      world.network.cutOff(terminal!.index, step.cut);
      return;
    case 'late':
      await world.network.deliverHeld();
      return;
    case 'sync':
    case 'pull': {
      world.network.setFault(terminal!.index, step.fault);
      const caughtUp =
        step.kind === 'sync'
          ? (await sync(world, terminal!))?.pull.caughtUp
          : (await unlessNetworkFails(() => pullUntilCaughtUp(terminal!.store, clientOf(world, terminal!))))?.caughtUp;
      world.network.setFault(terminal!.index, 'deliver');
      if (caughtUp) await checkServerPlusPending(world, terminal!, `after a ${step.kind} of terminal ${terminal!.index + 1}`);
      return;
    }
  }
}

/** Mends the network, delivers what it held, and syncs every terminal in turn until a whole round moves nothing. */
export async function heal(world: World): Promise<void> {
  world.network.heal();
  await world.network.deliverHeld();
  for (let round = 0; round < 10; round++) {
    let moved = 0;
    for (const terminal of world.terminals) {
      const summary = await sync(world, terminal);
      if (!summary) throw new Error(`Terminal ${terminal.index + 1} could not sync on a healed network`);
      moved += summary.push.pushed + summary.pull.rows;
    }
    if (moved === 0) return;
  }
  throw new Error('The terminals still exchange rows after 10 rounds on a healed network');
}

// --- what must hold ------------------------------------------------------------------------------

/** The server's pulled tables (their names, from its catalog), parents first. */
async function tableNames(world: World): Promise<string[]> {
  return (await pulledTables(world.server.db)).map((table) => table.name);
}

export async function serverRows(world: World): Promise<TableRows> {
  const untyped = world.server.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const rows: TableRows = {};
  for (const table of await tableNames(world)) rows[table] = await untyped.selectFrom(table).selectAll().execute();
  return comparableRows(rows);
}

export function terminalRows(store: Store, tables: readonly string[]): TableRows {
  const rows: TableRows = {};
  for (const table of tables) {
    const omitted = terminalOnlyColumns[table] ?? [];
    rows[table] = (store.db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((row) => {
      const kept = { ...row };
      for (const column of omitted) delete kept[column];
      return kept;
    });
  }
  return comparableRows(rows);
}

/**
 * DESIGN.md section 6: after every pull a terminal's state is the server's plus its own pending
 * commands. The oracle is independent of the rebase: a copy of the terminal's store whose synced
 * tables are replaced by the server's rows, with the pending envelopes applied on it in seq order.
 */
export async function checkServerPlusPending(world: World, terminal: Terminal, when: string): Promise<void> {
  const tables = await tableNames(world);
  const { copy, pending } = serverPlusPendingStore(terminal.store, await serverRows(world));
  try {
    world.stats.checks += 1;
    if (pending > 0) world.stats.checksWithPending += 1;
    const expected = terminalRows(copy, tables);
    const actual = terminalRows(terminal.store, tables);
    const differing = tables.filter((table) => JSON.stringify(expected[table]) !== JSON.stringify(actual[table]));
    if (differing.length > 0) world.log.push(`${when}: terminal ${terminal.index + 1} is not the server plus its ${pending} pending commands in ${differing.join(', ')}`);
  } finally {
    copy.close();
  }
}

/** What must hold once the network healed and everyone synced; each failure named. */
export async function convergenceFailures(world: World): Promise<string[]> {
  const failures = [...world.log];
  const tables = await tableNames(world);
  const server = await serverRows(world);
  for (const terminal of world.terminals) {
    const rows = terminalRows(terminal.store, tables);
    for (const table of tables) {
      if (JSON.stringify(rows[table]) !== JSON.stringify(server[table])) failures.push(`terminal ${terminal.index + 1}'s ${table} differ from the server's`);
    }
  }

  // Each command took effect exactly once: one receipt per envelope, none waiting.
  const receipts = await world.server.db.selectFrom('receipts').select(['envelope_id', 'status']).execute();
  const receiptIds = new Set(receipts.map((receipt) => receipt.envelope_id));
  if (receiptIds.size !== receipts.length) failures.push('an envelope has two receipts');
  const sent = world.terminals.flatMap((terminal) => terminal.store.all(sql.selectFrom('outbox').select(['id', 'status', 'name', 'args']).where('seq', 'is not', null)));
  const waiting = sent.filter((row) => row.status === 'pending');
  if (waiting.length > 0) failures.push(`${waiting.length} commands still wait after healing`);
  const unreceipted = sent.filter((row) => !receiptIds.has(row.id));
  if (unreceipted.length > 0) failures.push(`${unreceipted.length} commands have no receipt on the server`);
  if (receipts.length !== sent.length) failures.push(`the server holds ${receipts.length} receipts for ${sent.length} commands sent`);

  // Every scan present once: the scans the terminals made are the server's, each once.
  const scanIds = sent.filter((row) => row.name === 'checkin.scan').map((row) => (JSON.parse(row.args) as { scanId: string }).scanId);
  const serverScans = (await world.server.db.selectFrom('scans').select('id').execute()).map((row) => row.id);
  const appliedScanIds = new Set(
    sent.filter((row) => row.name === 'checkin.scan' && row.status !== 'rejected').map((row) => (JSON.parse(row.args) as { scanId: string }).scanId),
  );
  if (new Set(scanIds).size !== scanIds.length) failures.push('two scan commands carry one scan id');
  if ([...appliedScanIds].some((id) => !serverScans.includes(id))) failures.push('a scan a terminal made is missing on the server');

  // At most one active tag per customer, on every store.
  const doubleActive = await kyselySql<{ customer_id: string }>`SELECT customer_id FROM tags WHERE active = 1 AND customer_id IS NOT NULL GROUP BY customer_id HAVING count(*) > 1`.execute(world.server.db);
  if (doubleActive.rows.length > 0) failures.push(`the server has customers with two active tags: ${doubleActive.rows.map((row) => row.customer_id).join(', ')}`);

  // Ledger sums conserved: a live order's entries are its credits (none reversed), a deleted order's sum to zero.
  const ledger = await kyselySql<{ id: string; deleted: boolean; net: number; reversals: number }>`
    SELECT o.id, o.deleted_at IS NOT NULL AS deleted, coalesce(sum(l.amount), 0)::int AS net, count(*) FILTER (WHERE l.amount < 0)::int AS reversals
    FROM orders o LEFT JOIN ledger_entries l ON l.order_id = o.id GROUP BY o.id, o.deleted_at`.execute(world.server.db);
  for (const order of ledger.rows) {
    if (order.deleted && order.net !== 0) failures.push(`deleted order ${order.id} keeps ${order.net} on the ledger`);
    if (!order.deleted && order.reversals > 0) failures.push(`live order ${order.id} has a reversed ledger entry`);
  }
  return failures;
}
