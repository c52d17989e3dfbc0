// A terminal of bench/sync.bench.ts, in a process of its own (its peak memory is the terminal's,
// not the server's): it reads its arguments as JSON on stdin, enrols at the server with a code and
// runs its first load, then prints one JSON line of figures on stdout. Modes:
// - load: the load alone (seconds, rows/s, bytes on the wire, peak RSS), then the consistency
//   check of the loaded store against the server (sync/terminal/consistency-check.ts: every table's
//   count and digest on both sides), then the raw baseline: the same rows, read back from the
//   loaded store in key order, inserted into the bare tables of a fresh store by a hand-written
//   better-sqlite3 prepared INSERT, 10,000 rows a transaction.
// - gate: the load runs on a worker thread with its own connection (as the sync worker does),
//   while this thread scans the credentials the store already holds, one every 5 ms: the verdict
//   latency through the core API during the load. The two connections take turns to write as in
//   the host (db/write-turns.ts): this thread's store is the foreground writer, the worker's the
//   background one.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createCore } from '../core/api/core.ts';
import { setChosenEventId } from '../core/terminal/state.ts';
import { startCheckpointer } from '../db/checkpointer.ts';
import { openDatabase } from '../db/connection.ts';
import { Store } from '../db/store.ts';
import { WriteTurns } from '../db/write-turns.ts';
import { storeFile } from '../host/data-dir.ts';
import { enrolledClient, enrolTerminal } from '../sync/terminal/enrolment.ts';
import { loadFirstSnapshot, type FirstLoadProgress, type FirstLoadSummary } from '../sync/terminal/first-load.ts';
import { syncedTablesOf } from '../sync/terminal/snapshot-rows.ts';
import { checkAgainstServer } from '../sync/terminal/consistency-check.ts';
import { percentiles } from './timing.ts';

interface TerminalArguments {
  mode: 'load' | 'gate';
  serverUrl: string;
  code: string;
  eventId: string;
  gateId: string;
  /** Gate mode: the codes to scan (tickets and wristbands), in the order to try them. */
  codes: string[];
  /** Gate mode: the moment the scans happen (ms), so the tickets are in their validity window. */
  scanAt: number;
}

const scanIntervalMs = 5;
const megabytes = (bytes: number) => Math.round(bytes / 1e5) / 10;
const peakRssMegabytes = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The load itself, in whichever thread runs it; returns its summary and the bytes that came over the wire. */
async function load(
  dataDir: string,
  gate?: { writeTurns: WriteTurns; onPhase: (phase: FirstLoadProgress['phase']) => void },
): Promise<FirstLoadSummary & { wireBytes: number; ticketSeconds: number; phaseSeconds: Record<string, number> }> {
  const store = new Store(openDatabase(storeFile(dataDir)));
  if (gate) store.shareWriteTurns(gate.writeTurns, 'background');
  let wireBytes = 0;
  // From the commit before the first tickets to the commit of the last: the tickets' part of the load.
  let beforeTickets = performance.now();
  let ticketsFrom: number | null = null;
  let ticketsTo = 0;
  // Seconds in each phase: rows (pages over HTTP and into the tables), indexes, search.
  const phaseSeconds: Record<string, number> = {};
  let phaseStarted = performance.now();
  let current: FirstLoadProgress['phase'] = 'rows';
  const onProgress = (event: FirstLoadProgress) => {
    gate?.onPhase(event.phase);
    const now = performance.now();
    if (event.phase !== current) {
      phaseSeconds[current] = Math.round(now - phaseStarted) / 1000;
      current = event.phase;
      phaseStarted = now;
    }
    if (event.table === 'tickets' && event.phase === 'rows' && event.rowsLoaded > 0) {
      ticketsFrom ??= beforeTickets;
      ticketsTo = now;
    }
    beforeTickets = now;
  };
  const counting: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    wireBytes += Number(response.headers.get('content-length') ?? 0);
    return response;
  };
  const summary = await loadFirstSnapshot(store, enrolledClient(store, dataDir, { fetch: counting }), { onProgress });
  store.close();
  return { ...summary, wireBytes, ticketSeconds: ticketsFrom === null ? 0 : Math.round(ticketsTo - ticketsFrom) / 1000, phaseSeconds };
}

/**
 * The raw baseline: the loaded rows, table by table (in the load's order: parents first) in key
 * order, into the bare tables of a fresh migrated store (its secondary indexes dropped first, and
 * not built again: the least a load can do).
 */
function rawKeyOrderLoad(loaded: Store, order: readonly string[], workDir: string): { seconds: number; rows: number } {
  const target = openDatabase(join(workDir, 'raw.sqlite'));
  const indexes = target.prepare<[], { name: string; tbl_name: string }>("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").all();
  for (const index of indexes) if (order.includes(index.tbl_name)) target.exec(`DROP INDEX "${index.name}"`);
  let seconds = 0;
  let rows = 0;
  const tables = syncedTablesOf(loaded);
  for (const table of order.map((name) => tables.get(name)!)) {
    const columns = [...table.columns.keys()];
    const key = loaded.db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table.name}') WHERE pk > 0 ORDER BY pk`).all().map((column) => column.name);
    const read = loaded.db.prepare(`SELECT ${columns.map((column) => `"${column}"`).join(', ')} FROM "${table.name}" ORDER BY ${key.map((column) => `"${column}"`).join(', ')}`).raw();
    const insert = target.prepare(`INSERT INTO "${table.name}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const insertBatch = target.transaction((batch: unknown[][]) => {
      for (const values of batch) insert.run(values);
    });
    let batch: unknown[][] = [];
    const flush = () => {
      const started = performance.now();
      insertBatch(batch);
      seconds += (performance.now() - started) / 1000;
      rows += batch.length;
      batch = [];
    };
    for (const values of read.iterate() as Iterable<unknown[]>) {
      batch.push(values);
      if (batch.length === 10_000) flush();
    }
    flush();
  }
  target.close();
  return { seconds: Math.round(seconds * 100) / 100, rows };
}

async function enrolled(args: TerminalArguments, workDir: string): Promise<string> {
  const dataDir = join(workDir, 'terminal');
  mkdirSync(dataDir);
  const store = new Store(openDatabase(storeFile(dataDir)));
  await enrolTerminal(store, { dataDir, serverUrl: args.serverUrl, code: args.code, name: `Bench ${args.mode}` });
  store.close();
  return dataDir;
}

async function loadMode(args: TerminalArguments, workDir: string) {
  const dataDir = await enrolled(args, workDir);
  const started = performance.now();
  const summary = await load(dataDir);
  const seconds = (performance.now() - started) / 1000;
  const peak = peakRssMegabytes();
  const loaded = new Store(openDatabase(storeFile(dataDir), { migrate: false }));
  const checkStarted = performance.now();
  const checked = await checkAgainstServer(loaded, enrolledClient(loaded, dataDir));
  const check = { seconds: Math.round((performance.now() - checkStarted) / 10) / 100, tables: checked.tables, rows: checked.rows, differing: checked.differing.length };
  if (check.differing > 0) throw new Error(`The loaded terminal differs from the server: ${checked.differing.map((table) => `${table.table} (${table.reason})`).join(', ')}`);
  const raw = rawKeyOrderLoad(loaded, Object.keys(summary.tables), workDir);
  loaded.close();
  if (raw.rows !== summary.rows) throw new Error(`The first load wrote ${summary.rows} rows, the raw load ${raw.rows}`);
  return {
    seconds: Math.round(seconds * 100) / 100,
    rows: summary.rows,
    rowsPerSecond: Math.round(summary.rows / seconds),
    tickets: summary.tables.tickets ?? 0,
    ticketSeconds: summary.ticketSeconds,
    phaseSeconds: summary.phaseSeconds,
    wireMegabytes: megabytes(summary.wireBytes),
    peakRssMegabytes: peak,
    check,
    raw: { seconds: raw.seconds },
  };
}

async function gateMode(args: TerminalArguments, workDir: string) {
  const dataDir = await enrolled(args, workDir);
  const store = new Store(openDatabase(storeFile(dataDir)));
  const writeTurns = new WriteTurns();
  store.shareWriteTurns(writeTurns, 'foreground');
  // As the app's hosts do (electron/main.ts, box-office serve): the main thread's commits never run a checkpoint.
  const checkpointer = startCheckpointer(store.db);
  setChosenEventId(store, args.eventId);
  let offset = 0;
  const core = createCore({ store, clock: { now: () => new Date(args.scanAt + offset++) }, caller: { name: 'Gate steward', role: 'steward' } });
  const started = performance.now();
  const worker = new Worker(new URL(import.meta.url), { workerData: { dataDir, writeTurns: writeTurns.buffer } });
  let loaded = false;
  // The load's phase as the worker last said: rows going in, or the indexes and search index built after.
  let phase: FirstLoadProgress['phase'] = 'rows';
  const finished = new Promise<FirstLoadSummary>((resolve, reject) => {
    worker.on('message', (message: { phase: FirstLoadProgress['phase'] } | { summary: FirstLoadSummary }) => {
      if ('phase' in message) {
        phase = message.phase;
        return;
      }
      loaded = true;
      resolve(message.summary);
    });
    worker.once('error', reject);
  });
  const held = store.statement('SELECT 1 FROM tickets WHERE event_id = ? AND reference = ? UNION ALL SELECT 1 FROM tags WHERE event_id = ? AND uid = ?');
  const samples: number[] = [];
  const afterRows: number[] = [];
  const verdicts: Record<string, number> = {};
  let next = 0;
  while (!loaded) {
    const code = args.codes[next++ % args.codes.length]!;
    // Only what the store holds already: a check station scans the tickets it has.
    if (held.get(args.eventId, code, args.eventId, code) !== undefined) {
      const started = performance.now();
      const result = await core.invoke('checkin.scan', { code, gateId: args.gateId, direction: 'entry' });
      (phase === 'rows' ? samples : afterRows).push(performance.now() - started);
      if (!result.ok) throw new Error(`checkin.scan failed: ${result.error.message}`);
      verdicts[result.value.reason] = (verdicts[result.value.reason] ?? 0) + 1;
    }
    // 200 scans a second, a hundred times a busy gate lane's pace: enough samples for the p99,
    // without a scanner that takes the lock back to back and starves the load it measures.
    await new Promise((resolve) => setTimeout(resolve, scanIntervalMs));
  }
  const summary = await finished;
  const loadSeconds = Math.round((performance.now() - started) / 10) / 100;
  await worker.terminate();
  await checkpointer.stop();
  store.close();
  const max = (values: number[]) => Math.round(Math.max(0, ...values) * 1000) / 1000;
  return {
    ...percentiles(samples),
    max: max(samples),
    scans: samples.length,
    // While the indexes and the search index are built (each index in one transaction): separately.
    whileIndexing: { ...percentiles(afterRows), max: max(afterRows), scans: afterRows.length },
    verdicts,
    loadRows: summary.rows,
    loadSeconds,
  };
}

if (isMainThread) {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const args = JSON.parse(input) as TerminalArguments;
  const workDir = mkdtempSync(join(tmpdir(), 'box-office-sync-bench-'));
  try {
    const figures = args.mode === 'load' ? await loadMode(args, workDir) : await gateMode(args, workDir);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
} else {
  const { dataDir, writeTurns } = workerData as { dataDir: string; writeTurns: SharedArrayBuffer };
  let last: FirstLoadProgress['phase'] | null = null;
  const summary = await load(dataDir, {
    writeTurns: new WriteTurns(writeTurns),
    onPhase: (phase) => {
      if (phase !== last) parentPort!.postMessage({ phase });
      last = phase;
    },
  });
  parentPort!.postMessage({ summary });
}
