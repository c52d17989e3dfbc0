import { plural } from '../../core/cli-text.ts';
import { conflict, DomainError } from '../../core/errors.ts';
import type { Store } from '../../db/store.ts';
import type { CheckSummary, TableDifference, TableRepair } from '../../core/sync/sync.contract.ts';
import type { Cursors, SnapshotRequest, TableCheck } from '../protocol.ts';
import { TableDigest, type DigestValue } from '../row-digest.ts';
import type { SyncClient } from './client.ts';
import { firstLoadInProgress } from './first-load.ts';
import { unsettledCommandCount } from './outbox.ts';
import { followedCursors } from './pull.ts';
import { upsertPulledRows } from './pulled-rows.ts';
import { TouchedCustomers } from './rebase.ts';
import { nextSnapshotRequest, snapshotPageFor } from './snapshot-pages.ts';
import { checkedRows, syncedTable, syncedTablesOf } from './snapshot-rows.ts';
import { terminalEnrolment } from './state.ts';
import { syncNow } from './sync-now.ts';

/**
 * The consistency check (DESIGN.md section 6): the terminal asks the server for each table's row
 * count and digest at its cursors (POST /check, sync/row-digest.ts), computes the same over the
 * rows it holds, and names every table that differs. With `repair`, it reloads each of them from
 * the server's snapshot at its cursors instead of staying out of sync: every row of the server's
 * upserted, page by page (a transaction each, as a pull page), then the rows the server does not
 * hold removed, in one last transaction. Then it checks those tables again.
 *
 * What the terminal holds is the server's rows at its cursors plus the effects of its commands not
 * settled yet: the rows those wrote are counted as they were before them (their before-images), so
 * a gate scanning while it checks is checked too; only a repair waits until none is left. The rows
 * changed at the server after its cursors, whose older version the terminal holds, are left out on
 * both sides (the server lists their keys). Nothing is written by a check without `repair`.
 */

/** The answer's shapes are the API's (`sync.check`): one zod schema, core/sync/sync.contract.ts. */
export type { CheckSummary, TableDifference, TableRepair };

export interface CheckOptions {
  /** Reload each table that differs from the server's snapshot. */
  repair?: boolean;
}

/** Refuses a check before the first load ends, and a repair while the terminal's own commands are not settled. */
function checkable(store: Store, repair: boolean): void {
  if (!terminalEnrolment(store)) throw new DomainError('NOT_FOUND', 'This terminal is not enrolled: box-office sync enrol --server URL --code CODE');
  if (firstLoadInProgress(store)) throw conflict('This terminal’s first load is not finished: box-office sync load, then check');
  if (!repair) return;
  // A reload writes the server's rows over those the terminal's own commands wrote: not while any waits.
  const unsettled = unsettledCommandCount(store);
  if (unsettled > 0) {
    throw conflict(`${plural(unsettled, 'command')} of this terminal ${unsettled === 1 ? 'is' : 'are'} not in the server’s rows yet: sync (box-office sync now), then repair`);
  }
}

export async function checkAgainstServer(store: Store, client: SyncClient, options: CheckOptions = {}): Promise<CheckSummary> {
  checkable(store, options.repair ?? false);
  const cursors = followedCursors(store);
  const tables = await serverChecks(client, cursors);
  const differing = tables.flatMap((check) => difference(store, check) ?? []);
  const summary: CheckSummary = { cursors, tables: tables.length, rows: tables.reduce((sum, check) => sum + check.rows, 0), differing, repaired: [] };
  if (!options.repair || differing.length === 0) return summary;

  // In the server's order (parents first): a reloaded row finds the parents it names.
  for (const check of tables.filter((candidate) => differing.some((table) => table.table === candidate.table))) {
    summary.repaired.push({ table: check.table, ...(await reloadTable(store, client, check, cursors)) });
  }
  // Checked again at the same cursors (nothing was pulled meanwhile): what still differs is reported.
  const again = await serverChecks(client, cursors);
  summary.differing = again.filter((check) => summary.repaired.some((table) => table.table === check.table)).flatMap((check) => difference(store, check) ?? []);
  return summary;
}

/** Over the rows the server lists by key changed at the server since the terminal's cursors: it pulls, then checks. */
export class ServerMovedOn extends DomainError {
  constructor() {
    super('CONFLICT', 'Many rows changed at the server since this terminal’s last pull: sync (box-office sync now), then check again');
  }
}

export interface SyncThenCheckOptions extends CheckOptions {
  /** The sync before the check; by default `syncNow` (the sync worker passes its loop's, which keeps its status). */
  sync?: () => Promise<unknown>;
}

/**
 * The check as staff ask for it (`box-office sync check`, the Sync screen's button): a sync first,
 * so the terminal's commands settle and the rows changed at the server come down; then the check.
 * A server busy enough that over a thousand rows changed in between gets one more sync and check;
 * a second `ServerMovedOn` is the caller's. The caller makes sure no other sync runs meanwhile (the
 * sync worker runs it in its loop's turn: sync/terminal/sync-loop.ts `exclusive`).
 */
export async function syncThenCheck(store: Store, client: SyncClient, options: SyncThenCheckOptions = {}): Promise<CheckSummary> {
  const sync = options.sync ?? (() => syncNow(store, client));
  for (let round = 1; ; round++) {
    await sync();
    try {
      return await checkAgainstServer(store, client, { repair: options.repair ?? false });
    } catch (error) {
      if (round === 2 || !(error instanceof ServerMovedOn)) throw error;
    }
  }
}

async function serverChecks(client: SyncClient, cursors: Cursors): Promise<TableCheck[]> {
  const answer = await client.check({ cursors });
  if (answer.tables === null) throw new ServerMovedOn();
  return answer.tables;
}

/** How the terminal's rows of a table differ from the server's, or null when they are the same. */
export function difference(store: Store, check: TableCheck): TableDifference | null {
  const table = syncedTablesOf(store).get(check.table);
  const differs = (terminalRows: number, reason: string): TableDifference => ({ table: check.table, terminalRows, serverRows: check.rows, reason });
  if (!table) return differs(0, `this terminal has no table ${check.table}`);
  const missing = [...check.key, ...check.columns].filter((column) => !table.columns.has(column));
  if (missing.length > 0) return differs(0, `this terminal’s ${check.table} has no column ${missing.join(', ')}`);
  const held = terminalDigest(store, check);
  if (held.rows !== check.rows) return differs(held.rows, `${plural(held.rows, 'row')} here, ${plural(check.rows, 'row')} at the server`);
  if (held.digest !== check.digest) return differs(held.rows, 'the same number of rows, with different contents');
  return null;
}

const quoted = (columns: readonly string[]) => columns.map((column) => `"${column}"`).join(', ');

/**
 * The digest of the server's rows of the table as this terminal knows them: its rows, but each row a
 * command of its own not settled yet wrote counted as it was before the first of them (the rebase's
 * before-image, sync/terminal/rebase.ts), or not at all where that command added it. The rows
 * changed at the server since the cursors are left out.
 */
function terminalDigest(store: Store, check: TableCheck): TableDigest {
  const changed = new Set(check.changedAfter);
  const counted = (key: readonly DigestValue[]) => changed.size === 0 || !changed.has(JSON.stringify(key));
  const images = oldestImages(store, check.table);
  const digest = new TableDigest();
  const rows = store.db.prepare(`SELECT rowid, ${quoted([...check.key, ...check.columns])} FROM "${check.table}"`).raw();
  for (const row of rows.iterate() as Iterable<DigestValue[]>) {
    if (images.has(row[0] as number)) continue;
    if (counted(row.slice(1, 1 + check.key.length))) digest.add(row.slice(1 + check.key.length));
  }
  for (const image of images.values()) {
    if (image === null) continue;
    const value = (column: string) => (image[column] ?? null) as DigestValue;
    if (counted(check.key.map(value))) digest.add(check.columns.map(value));
  }
  return digest;
}

/** Per row of the table that unsettled commands wrote, by rowid: the row before the first of them (null: it was not there). */
function oldestImages(store: Store, table: string): Map<number, Record<string, unknown> | null> {
  const images = new Map<number, Record<string, unknown> | null>();
  const rows = store.statement('SELECT row_id, image FROM before_images WHERE table_name = ? ORDER BY id').all(table) as { row_id: number; image: string | null }[];
  for (const { row_id: rowId, image } of rows) {
    if (!images.has(rowId)) images.set(rowId, image === null ? null : (JSON.parse(image) as Record<string, unknown>));
  }
  return images;
}

/**
 * The table's rows again from the server's snapshot of each scope that holds it, at the terminal's
 * cursor: each page's rows upserted in a transaction of its own (keys noted in a temporary table),
 * then, in one last transaction, the rows the server holds neither in the snapshot nor among those
 * changed since, removed. Foreign keys are checked at each commit: a row naming a parent this
 * terminal does not hold, or a removed row another still names, refuses that transaction whole.
 */
async function reloadTable(store: Store, client: SyncClient, check: TableCheck, cursors: Cursors): Promise<Omit<TableRepair, 'table'>> {
  const table = syncedTable(store, check.table);
  store.db.exec('CREATE TEMP TABLE IF NOT EXISTS reloaded_keys (key TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.reloaded_keys');
  const noteKey = store.statement('INSERT OR IGNORE INTO temp.reloaded_keys (key) VALUES (?)');
  const keyText = (row: Record<string, unknown>) => JSON.stringify(check.key.map((column) => row[column]));
  let reloaded = 0;
  for (const scope of check.scopes) {
    let request: SnapshotRequest | null = { scope, version: cursors[scope] ?? 0, table: check.table };
    while (request !== null) {
      const page = await snapshotPageFor(client, request);
      const { columns, rows } = checkedRows(table, page.columns, page.rows);
      const objects = rows.map((values) => Object.fromEntries(columns.map((column, index) => [column, values[index]])));
      inTransaction(store, check.table, () => {
        const touched = new TouchedCustomers();
        upsertPulledRows(store, [{ table: check.table, rows: objects }], touched);
        for (const row of objects) noteKey.run(keyText(row));
        touched.refresh(store);
      });
      reloaded += rows.length;
      // The scope's pages go on to its next table: this one ends here.
      const next = nextSnapshotRequest(page);
      request = next?.table === check.table ? next : null;
    }
  }
  const changed = new Set(check.changedAfter);
  const removed = inTransaction(store, check.table, () => {
    const reloadedKey = store.statement('SELECT 1 FROM temp.reloaded_keys WHERE key = ?');
    const touched = new TouchedCustomers();
    const stale: Record<string, unknown>[] = [];
    for (const row of store.db.prepare(`SELECT rowid AS rowid, ${quoted(check.key)} FROM "${check.table}"`).iterate() as Iterable<Record<string, unknown>>) {
      const key = keyText(row);
      if (!changed.has(key) && reloadedKey.get(key) === undefined) stale.push(row);
    }
    const remove = store.statement(`DELETE FROM "${check.table}" WHERE rowid = ?`);
    for (const row of stale) {
      // The search rows they fed: a customer's rowid is its search row's (the refresh drops the
      // search row of one removed); a customer's other e-mail is searched for too.
      if (check.table === 'customers') touched.rowids.add(row.rowid as number);
      if (check.table === 'customer_emails') touched.ids.add(row.customer_id as string);
      remove.run(row.rowid);
    }
    touched.refresh(store);
    return stale.length;
  });
  store.db.exec('DELETE FROM temp.reloaded_keys');
  return { reloaded, removed };
}

/** One transaction of a reload, foreign keys checked at its commit; a failure names the table. */
function inTransaction<T>(store: Store, table: string, work: () => T): T {
  try {
    return store.immediateTransaction(() => {
      store.db.pragma('defer_foreign_keys = ON');
      return work();
    });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw conflict(`Reloading ${table} would leave a row naming another that is not on this terminal (a parent missing, or a row removed that another names): nothing of this step was written; check again after a sync`);
    }
    throw error;
  }
}
