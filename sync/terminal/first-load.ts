import { z } from 'zod';
import { conflict, DomainError } from '../../core/errors.ts';
import { indexCustomersAfter } from '../../core/customers/search-index.ts';
import type { Store } from '../../db/store.ts';
import type { DeviceRole, ReceivedSnapshotPage as SnapshotPage, SnapshotRequest } from '../protocol.ts';
import type { SyncClient } from './client.ts';
import { nextSnapshotRequest, snapshotPageFor } from './snapshot-pages.ts';
import { checkedRows, syncedRowCounts, syncedTable, syncedTablesOf, type SqlValue } from './snapshot-rows.ts';
import { firstLoadRecord, pullCursors, recordFirstLoad, recordPullCursors, terminalEnrolment } from './state.ts';

/**
 * A fresh terminal's first load (DESIGN.md section 6, "First load"): the rows of no event ('')
 * and of its event (or of every event, for a terminal enrolled for all) from the server's
 * snapshot, each scope at its version V, table after table (parents first) in primary-key order.
 *
 * - Every row of a page is checked against the terminal's own columns and types before the first
 *   of it is written (snapshot-rows.ts): a page the terminal cannot take is refused whole.
 * - Rows go in with prepared multi-row INSERTs, in transactions of a few hundred or thousand rows:
 *   a gate scanning on another connection waits for one of them at most (loadProfile).
 * - The secondary indexes are dropped before the first row and created again after the last, from
 *   the SQL SQLite kept for them (read from sqlite_schema, saved in the load's record in the same
 *   transaction as the drop, so a kill never loses one). At a gate, the indexes a scan looks
 *   credentials up by stay, so a check station scans the tickets it has while it loads the rest.
 *   The customer search index (FTS5) is filled after the customers, in runs.
 * - Resumable: the next request of each scope is recorded in terminal_state in the same transaction
 *   as a page's last rows, and every INSERT skips a row it already holds, so a load killed or cut
 *   off anywhere continues from the last page it committed and never starts again.
 * - At the end, in one transaction, the pull cursor of each scope becomes its V: the pull goes on
 *   from there and brings every row changed since.
 */

export interface FirstLoadProgress {
  /** rows: pages going in; indexes: the secondary indexes being built; search: the customer search index; done. */
  phase: 'rows' | 'indexes' | 'search' | 'done';
  scope: string;
  /** The table being loaded (or indexed). */
  table: string | null;
  /** Rows committed so far, this run and the runs before it. */
  rowsLoaded: number;
  /** Rows of the whole load, when the server said (null: an older server). */
  rowsTotal: number | null;
  /** Rows per second of this run. */
  rowsPerSecond: number;
  /** Seconds until the rows are in, at this run's rate; null when the total is unknown. */
  secondsLeft: number | null;
}

export interface FirstLoadSummary {
  /** The scopes loaded, each with its version V: the pull cursors now. */
  cursors: Record<string, number>;
  /** Rows loaded per table that has any, in all runs of this load, in the order they went in. */
  tables: Record<string, number>;
  rows: number;
  /** Seconds of this run (a resumed load counts from where it resumed). */
  seconds: number;
  rowsPerSecond: number;
  /** True when this run continued a load an earlier run had begun. */
  resumed: boolean;
}

export interface FirstLoadOptions {
  onProgress?: (progress: FirstLoadProgress) => void;
  /**
   * Rows per transaction (5,000: loadProfile). Each commit writes the pages it changed to the WAL;
   * a scan at a gate is answered without waiting for one (core/checkin/answered-scans.ts).
   */
  rowsPerTransaction?: number;
  /**
   * Milliseconds between transactions; 'transaction': as long as the transaction before took (at a
   * gate: the load then leaves the CPU to its scans half the time). Why a gate pauses: loadProfile.
   */
  pauseMs?: number | 'transaction';
  /** Keep the indexes a scan looks credentials up by while loading; at a gate (a check station) yes, elsewhere no. */
  keepScanIndexes?: boolean;
  /** Customers per transaction of the search index build (each writes an FTS segment): 5,000. */
  searchRowsPerTransaction?: number;
  /** Monotonic milliseconds, for rows per second (performance.now by default). */
  now?: () => number;
}

type LoadProfile = Required<Pick<FirstLoadOptions, 'rowsPerTransaction' | 'pauseMs' | 'keepScanIndexes' | 'searchRowsPerTransaction'>>;

/**
 * How a terminal of each role loads. A gate (a check station) may scan the tickets it has while it
 * loads the rest: its load keeps the scan path's indexes and pauses between transactions. Any
 * other terminal is not in use until its load ends (the customer search comes with the last step):
 * it loads with every secondary index dropped and no pause.
 *
 * A gate's scans do not wait for the load's transactions: they are answered from the committed
 * state and recorded after (core/checkin/answered-scans.ts). What the load still takes from them is
 * CPU, on a machine whose two cores also run the server: measured in bench/sync.bench.ts at
 * BENCH_SCALE=0.1 (250,011 rows, a scan every 5 ms during the load), 5,000 rows a transaction with
 * a pause as long as each: verdict p99 2.4 to 2.8 ms, load 13.5 to 14.4 s; 1,000 rows, the same
 * pause: p99 2.0 to 2.2 ms, load 22 to 24 s; 1,000 rows without the pause: p99 3.7 to 4.9 ms, the
 * main thread short of CPU. (Before scans were answered first, a gate loaded 100 rows a transaction
 * with the pause, 44 s, and the verdict's p99 was the load's commits' tail: 16 to 40 ms.)
 */

function loadProfile(role: DeviceRole): LoadProfile {
  return role === 'gate'
    ? { rowsPerTransaction: 5000, pauseMs: 'transaction', keepScanIndexes: true, searchRowsPerTransaction: 5000 }
    : { rowsPerTransaction: 5000, pauseMs: 0, keepScanIndexes: false, searchRowsPerTransaction: 5000 };
}

/**
 * Indexes a scan looks its credential up by (core/checkin/credentials.ts): kept while a gate loads,
 * so it finds the tickets and wristbands loaded so far in one probe. Their upkeep (random inserts
 * into four indexes of 1,000,000 rows, and the pages each commit writes to the WAL) doubled the
 * time spent inside the load's transactions at BENCH_SCALE=0.1 (15.8 s against 8.0 s for 250,000
 * rows in transactions of 500), so any other terminal builds them after the load with the rest.
 */
const scanPathIndexes: ReadonlySet<string> = new Set(['tickets_event_reference', 'tickets_event_reference_folded', 'tags_event_uid', 'tags_uid', 'scans_ticket', 'scans_tag']);

const requestSchema = z.object({
  scope: z.string(),
  version: z.number().int().nonnegative().optional(),
  table: z.string().optional(),
  after: z.string().optional(),
});

/** The load's record in terminal_state (state.ts): enough to continue after a kill. */
const loadRecordSchema = z.object({
  scopes: z.array(
    z.object({
      scope: z.string(),
      /** The next page to ask for; null once the scope is loaded. */
      request: requestSchema.nullable(),
      /** V, once the scope's first page is in. */
      version: z.number().int().nonnegative().nullable(),
      totals: z.record(z.string(), z.number().int().nonnegative()).nullable(),
    }),
  ),
  /** Indexes dropped for the load and not built again yet, with the SQL that creates each. */
  droppedIndexes: z.array(z.object({ name: z.string(), sql: z.string() })),
  /** The last customer row key whose search row is written; null before the search phase. */
  searchedUpTo: z.number().int().nullable(),
  tables: z.record(z.string(), z.number().int().nonnegative()),
});
type LoadRecord = z.infer<typeof loadRecordSchema>;
type ScopeRecord = LoadRecord['scopes'][number];

/** Whether a first load is under way (begun and not finished): the pull waits for it to end. */
export function firstLoadInProgress(store: Store): boolean {
  return firstLoadRecord(store) !== null;
}

function readRecord(store: Store): LoadRecord | null {
  const text = firstLoadRecord(store);
  if (text === null) return null;
  let parsed;
  try {
    parsed = loadRecordSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new Error("This terminal's first-load record is damaged: load it into a new data folder");
  return parsed.data;
}

const writeRecord = (store: Store, record: LoadRecord) => recordFirstLoad(store, JSON.stringify(record));

/**
 * Loads (or goes on loading) this enrolled terminal's scopes from the server's snapshot. Refused
 * when the store already holds synced rows and no load is under way: a first load fills a fresh
 * store only (a terminal that holds rows gets the server's by pulling).
 */
export async function loadFirstSnapshot(store: Store, client: SyncClient, options: FirstLoadOptions = {}): Promise<FirstLoadSummary> {
  const enrolment = terminalEnrolment(store);
  if (!enrolment) throw new DomainError('NOT_FOUND', 'This terminal is not enrolled: box-office sync enrol --server URL --code CODE');
  const loader = new FirstLoader(store, client, { ...loadProfile(enrolment.role), ...options });
  return loader.run(enrolment.eventId);
}

/** Why a store is no place for a first load, or null when it is fresh. */
export function notFreshReason(store: Store): string | null {
  const cursors = pullCursors(store);
  if (Object.keys(cursors).length > 0) return 'This terminal has loaded its snapshot already: it gets the server’s changes by pulling (box-office sync now)';
  const held = Object.entries(syncedRowCounts(store));
  if (held.length === 0) return null;
  const listed = held.map(([table, count]) => `${count >= 1000 ? 'over 1,000' : count.toLocaleString('en')} in ${table}`).join(', ');
  return `This terminal's store already holds rows (${listed}): a first load fills a fresh store only. Load into a new data folder (box-office --data-dir DIR sync enrol …), or keep this one: it gets the server's rows by pulling (box-office sync now)`;
}

class FirstLoader {
  readonly #store: Store;
  readonly #client: SyncClient;
  readonly #onProgress: (progress: FirstLoadProgress) => void;
  readonly #rowsPerTransaction: number;
  readonly #pauseMs: number | 'transaction';
  readonly #keepScanIndexes: boolean;
  readonly #searchRows: number;
  readonly #now: () => number;
  readonly #started: number;
  #rowsThisRun = 0;
  #record!: LoadRecord;

  constructor(store: Store, client: SyncClient, options: FirstLoadOptions & LoadProfile) {
    this.#store = store;
    this.#client = client;
    this.#onProgress = options.onProgress ?? (() => {});
    this.#rowsPerTransaction = options.rowsPerTransaction;
    this.#pauseMs = options.pauseMs;
    this.#keepScanIndexes = options.keepScanIndexes;
    this.#searchRows = options.searchRowsPerTransaction;
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
  }

  async run(eventId: string | null): Promise<FirstLoadSummary> {
    const existing = readRecord(this.#store);
    const resumed = existing !== null;
    const firstPages = new Map<string, SnapshotPage>();
    if (existing) this.#record = existing;
    else {
      const refusal = notFreshReason(this.#store);
      if (refusal !== null) throw conflict(refusal);
      // The first page of '' fixes its V and names the events this terminal receives.
      const first = await snapshotPageFor(this.#client, { scope: '' });
      firstPages.set('', first);
      const events = first.events ?? (eventId === null ? [] : [eventId]);
      this.#record = {
        scopes: ['', ...events].map((scope) => ({ scope, request: { scope }, version: null, totals: null })),
        droppedIndexes: [],
        searchedUpTo: null,
        tables: {},
      };
      this.#dropIndexes();
    }
    // Every scope's first page before any row goes in: its totals make the time left known from the start.
    for (const scope of this.#record.scopes) {
      if (scope.request === null || scope.version !== null || firstPages.has(scope.scope)) continue;
      firstPages.set(scope.scope, await snapshotPageFor(this.#client, scope.request));
    }
    for (const [scope, page] of firstPages) {
      const entry = this.#scope(scope);
      entry.totals = page.totals ?? null;
    }

    for (const scope of this.#record.scopes) await this.#loadScope(scope, firstPages.get(scope.scope));
    await this.#buildIndexes();
    await this.#buildSearchIndex();

    const cursors = Object.fromEntries(this.#record.scopes.map((scope) => [scope.scope, scope.version!]));
    this.#store.immediateTransaction(() => {
      recordPullCursors(this.#store, { ...pullCursors(this.#store), ...cursors });
      recordFirstLoad(this.#store, null);
    });
    this.#progress('done', '', null);
    const seconds = this.#seconds();
    return {
      cursors,
      tables: this.#record.tables,
      rows: this.#rowsLoaded(),
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: Math.round(this.#rowsThisRun / Math.max(seconds, 0.001)),
      resumed,
    };
  }

  #scope(scope: string): ScopeRecord {
    return this.#record.scopes.find((entry) => entry.scope === scope)!;
  }

  /** Pages of one scope, each fetched while the one before goes in. */
  async #loadScope(scope: ScopeRecord, firstPage: SnapshotPage | undefined): Promise<void> {
    let page = scope.request === null ? undefined : (firstPage ?? (await snapshotPageFor(this.#client, scope.request)));
    while (page !== undefined) {
      const next = nextSnapshotRequest(page);
      const following = next === null ? undefined : snapshotPageFor(this.#client, next);
      // Kept from being reported unhandled while this page goes in; awaited below.
      following?.catch(() => {});
      await this.#applyPage(scope, page, next);
      page = following === undefined ? undefined : await following;
    }
  }

  /** One page in transactions of `rowsPerTransaction` rows; the last one records the next request. */
  async #applyPage(scope: ScopeRecord, page: SnapshotPage, next: SnapshotRequest | null): Promise<void> {
    const table = syncedTable(this.#store, page.table);
    const { columns, rows } = checkedRows(table, page.columns, page.rows);
    const size = this.#rowsPerTransaction;
    let from = 0;
    do {
      const slice = rows.slice(from, from + size);
      const last = from + size >= rows.length;
      const began = this.#now();
      const inserted = this.#store.immediateTransaction(() => {
        const added = insertRows(this.#store, table.name, columns, slice);
        if (last) {
          scope.version = page.version;
          scope.request = next;
        }
        // Tables appear as their first rows go in: in load order, parents first.
        if (added > 0) this.#record.tables[table.name] = (this.#record.tables[table.name] ?? 0) + added;
        writeRecord(this.#store, this.#record);
        return added;
      });
      this.#rowsThisRun += inserted;
      from += size;
      const held = this.#now() - began;
      this.#progress('rows', scope.scope, table.name);
      await pause(this.#pauseMs === 'transaction' ? held : this.#pauseMs);
    } while (from < rows.length);
  }

  /**
   * Drops every secondary index of the synced tables but the scan path's, keeping the SQL that
   * made each (sqlite_schema holds it as the migration wrote it) in the load's record, in the same
   * transaction. Indexes behind a UNIQUE or PRIMARY KEY constraint have no SQL of their own and stay.
   */
  #dropIndexes(): void {
    const synced = [...syncedTablesOf(this.#store).keys()];
    const indexes = this.#store.db
      .prepare<[], { name: string; sql: string; tbl_name: string }>("SELECT name, sql, tbl_name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY tbl_name, name")
      .all()
      .filter((index) => synced.includes(index.tbl_name) && !(this.#keepScanIndexes && scanPathIndexes.has(index.name)));
    this.#store.immediateTransaction(() => {
      for (const index of indexes) this.#store.db.exec(`DROP INDEX "${index.name}"`);
      this.#record.droppedIndexes = indexes.map(({ name, sql }) => ({ name, sql }));
      writeRecord(this.#store, this.#record);
    });
  }

  /** Each dropped index created again, one transaction each (the record forgets it in the same one). */
  async #buildIndexes(): Promise<void> {
    const pauseMs = this.#pauseMs === 'transaction' ? 1 : this.#pauseMs;
    while (this.#record.droppedIndexes.length > 0) {
      const index = this.#record.droppedIndexes[0]!;
      this.#progress('indexes', '', index.name);
      this.#store.immediateTransaction(() => {
        this.#store.db.exec(index.sql);
        this.#record.droppedIndexes.shift();
        writeRecord(this.#store, this.#record);
      });
      await pause(pauseMs);
    }
  }

  /** The customers' search rows, in runs of `searchRowsPerTransaction` customers by row key. */
  async #buildSearchIndex(): Promise<void> {
    for (;;) {
      const after = this.#record.searchedUpTo ?? 0;
      const began = this.#now();
      const done = this.#store.immediateTransaction(() => {
        const written = indexCustomersAfter(this.#store, after, this.#searchRows);
        if (written === null) return true;
        this.#record.searchedUpTo = written.last;
        writeRecord(this.#store, this.#record);
        return false;
      });
      if (done) return;
      const held = this.#now() - began;
      this.#progress('search', '', 'customers');
      await pause(this.#pauseMs === 'transaction' ? held : this.#pauseMs);
    }
  }

  #rowsLoaded(): number {
    return Object.values(this.#record.tables).reduce((sum, rows) => sum + rows, 0);
  }

  #rowsTotal(): number | null {
    let total = 0;
    for (const scope of this.#record.scopes) {
      if (scope.totals === null) return null;
      total += Object.values(scope.totals).reduce((sum, rows) => sum + rows, 0);
    }
    return total;
  }

  #seconds(): number {
    return (this.#now() - this.#started) / 1000;
  }

  #progress(phase: FirstLoadProgress['phase'], scope: string, table: string | null): void {
    const seconds = this.#seconds();
    const rowsPerSecond = seconds > 0 ? Math.round(this.#rowsThisRun / seconds) : 0;
    const rowsLoaded = this.#rowsLoaded();
    const rowsTotal = this.#rowsTotal();
    const secondsLeft = phase !== 'rows' ? 0 : rowsTotal === null || rowsPerSecond === 0 ? null : Math.max(0, Math.round((rowsTotal - rowsLoaded) / rowsPerSecond));
    this.#onProgress({ phase, scope, table, rowsLoaded, rowsTotal, rowsPerSecond, secondsLeft });
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => (ms >= 1 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/**
 * Rows per INSERT statement: enough that the statement's own cost is spread over many rows (a
 * prepared 64-row INSERT), few enough to stay far below SQLite's limit on bound values.
 */
const rowsPerStatement = 64;

/**
 * The rows through prepared multi-row INSERTs of the page's columns. A row the store holds
 * already (a page committed in part before a kill, loaded again) is skipped: ON CONFLICT DO
 * NOTHING acts on uniqueness only, so a NOT NULL or CHECK failure still refuses the page.
 */
function insertRows(store: Store, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): number {
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const statementFor = (count: number) =>
    store.statement(`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES ${Array.from({ length: count }, () => placeholders).join(', ')} ON CONFLICT DO NOTHING`);
  const full = statementFor(rowsPerStatement);
  let inserted = 0;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const count = Math.min(rowsPerStatement, rows.length - start);
    const values: SqlValue[] = [];
    for (let index = start; index < start + count; index += 1) values.push(...rows[index]!);
    inserted += (count === rowsPerStatement ? full : statementFor(count)).run(...values).changes;
  }
  return inserted;
}
