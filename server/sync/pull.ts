import { sql } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { conflict } from '../../core/errors.ts';
import { defaultPullRows, type Cursors, type PullRequest, type PullResponse, type TableRows } from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import type { Device } from '../devices/enrolment.ts';
import { inScope, pulledTables, untyped, type PulledTable, type Row } from './pulled-tables.ts';
import { followedScopes, visibleRows, visibleTables } from './visible-rows.ts';

/**
 * A device's pull (DESIGN.md section 6, "Down"): per scope it follows, the rows stamped after its
 * cursor, in `server_version` order, whole versions only, so that after applying a page a terminal
 * holds a state the server had. Every read of a page runs in one REPEATABLE READ transaction: the
 * versions, the rows and the device's `last_seq` come from one snapshot of the server.
 *
 * Scopes are read one after the other, '' first, and a page moves on to the next scope only when
 * the one before is read to its current version: the customers, web users and labels that event
 * rows reference are then never behind them on the terminal.
 */

export async function pullChanges(db: ServerDatabase, clock: Clock, device: Device, request: PullRequest): Promise<PullResponse> {
  const scopes = followedScopes(device, Object.keys(request.cursors), (scope) => `cursors.${scope}`);
  const tables = visibleTables(device.role, await pulledTables(db));
  const limit = request.limit ?? defaultPullRows;
  const page = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { last_seq: lastSeq } = await trx.selectFrom('devices').select('last_seq').where('id', '=', device.id).executeTakeFirstOrThrow();
      const current = await currentVersions(trx, scopes);
      const cursors: Cursors = {};
      for (const scope of scopes) cursors[scope] = cursorAtMost(request.cursors[scope] ?? 0, current[scope] ?? 0, `cursors.${scope}`);
      const rows = new Map<string, Row[]>();
      let budget = limit;
      let hasMore = false;
      for (const scope of scopes) {
        const now = current[scope] ?? 0;
        if (cursors[scope]! >= now) continue;
        const read = await readScope(trx, tables, scope, cursors[scope]!, now, budget, budget === limit);
        if (read === null) {
          hasMore = true;
          break;
        }
        for (const [table, tableRows] of read.rows) rows.set(table, [...(rows.get(table) ?? []), ...tableRows]);
        budget -= read.count;
        cursors[scope] = read.upTo;
        if (read.upTo < now) {
          hasMore = true;
          break;
        }
      }
      const settledSeq = await settledSeqOf(trx, device.id, Number(lastSeq), request.settledFrom ?? 1, cursors, hasMore);
      return { lastSeq, cursors, rows, hasMore, settledSeq };
    });
  const now = clock.now().toISOString();
  await db.updateTable('devices').set({ last_seen_at: now }).where('id', '=', device.id).execute();
  const changes: TableRows[] = [];
  for (const table of tables) {
    const tableRows = page.rows.get(table.name);
    if (tableRows) changes.push({ table: table.name, rows: visibleRows(device.role, table.name, tableRows) });
  }
  return { changes, cursors: page.cursors, hasMore: page.hasMore, lastSeq: page.lastSeq, settledSeq: page.settledSeq, serverTime: now };
}

/**
 * The device's newest seq whose command, and every one before it, has its effects in the rows up to
 * `cursors`: below the first receipt from `from` on that stamped a followed scope past its cursor
 * (migration 0005), or whose versions are unknown (a receipt of before it). On the last page the
 * cursors are the scopes' current versions, so every command the server holds counts. A scope the
 * device does not follow holds nothing it pulls: it does not hold a command back.
 */
async function settledSeqOf(trx: ServerDatabase, deviceId: string, lastSeq: number, from: number, cursors: Cursors, hasMore: boolean): Promise<number> {
  if (!hasMore || from > lastSeq) return lastSeq;
  const followed = JSON.stringify(cursors);
  const { rows } = await sql<{ seq: string | number | null }>`
    SELECT min(seq) AS seq FROM receipts
    WHERE device_id = ${deviceId} AND seq >= ${from} AND seq <= ${lastSeq}
      AND (versions IS NULL OR EXISTS (
        SELECT 1 FROM jsonb_each_text(versions) AS stamped
        WHERE (${followed}::jsonb ->> stamped.key) IS NOT NULL AND stamped.value::bigint > (${followed}::jsonb ->> stamped.key)::bigint))`.execute(trx);
  const blocking = rows[0]?.seq;
  return blocking === null || blocking === undefined ? lastSeq : Number(blocking) - 1;
}

/** The current version of each scope, or of every scope the server has ('' and events never written to are at 0). */
export async function currentVersions(db: ServerDatabase, scopes?: readonly string[]): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('event_versions')
    .select(['scope', 'version'])
    .$if(scopes !== undefined, (query) => query.where('scope', 'in', scopes!))
    .execute();
  const versions: Record<string, number> = Object.fromEntries((scopes ?? []).map((scope) => [scope, 0]));
  for (const row of rows) versions[row.scope] = Number(row.version);
  return versions;
}

/**
 * A terminal's version of a scope, refused when the server never reached it: the server's database
 * was restored from a backup or replaced, and the terminal must load a snapshot again (a pull from
 * its cursor would leave it holding rows the server no longer has).
 */
export function cursorAtMost(version: number, current: number, field: string): number {
  if (version > current) {
    throw conflict(`This terminal holds version ${version} of ${field}, but the server is at ${current}: the server's data was restored or replaced. Load this terminal's data again (a new snapshot)`, field);
  }
  return version;
}

interface ScopeRead {
  /** The newest version the page holds of the scope: the scope's current one when it is read to the end. */
  upTo: number;
  rows: Map<string, Row[]>;
  count: number;
}

/**
 * The whole versions after `cursor` that fit in `budget` rows, or the first version however big
 * when `alone` (the page is empty so far); null when the next version does not fit.
 *
 * Each table's versions are counted over its first `budget + 1` rows only, so a page costs the
 * same however far behind the terminal is. A table that filled that window may hold more rows of
 * its last version counted (its "horizon"), so only the versions below every horizon are known
 * whole and counted for sure.
 */
async function readScope(trx: ServerDatabase, tables: readonly PulledTable[], scope: string, cursor: number, current: number, budget: number, alone: boolean): Promise<ScopeRead | null> {
  const scoped = tables.flatMap((table) => {
    const condition = inScope(table, scope);
    return condition === null ? [] : [{ table, condition }];
  });
  if (scoped.length === 0) return { upTo: current, rows: new Map(), count: 0 };
  if (budget <= 0) return null;
  const window = budget + 1;
  const counted = await sql<{ table_name: string; server_version: number; rows: number }>`
    SELECT table_name, server_version, count(*) AS rows
    FROM (${sql.join(
      scoped.map(
        ({ table, condition }) => sql`(
          SELECT CAST(${table.name} AS text) AS table_name, server_version FROM ${sql.table(table.name)}
          WHERE ${condition} AND server_version > ${cursor}
          ORDER BY server_version LIMIT ${window})`,
      ),
      sql` UNION ALL `,
    )}) AS changed
    GROUP BY table_name, server_version`.execute(trx);
  if (counted.rows.length === 0) return { upTo: current, rows: new Map(), count: 0 };

  const rowsPerVersion = new Map<number, number>();
  const perTable = new Map<string, { rows: number; first: number; last: number }>();
  for (const { table_name: table, server_version: version, rows } of counted.rows) {
    rowsPerVersion.set(version, (rowsPerVersion.get(version) ?? 0) + rows);
    const seen = perTable.get(table) ?? { rows: 0, first: version, last: version };
    perTable.set(table, { rows: seen.rows + rows, first: Math.min(seen.first, version), last: Math.max(seen.last, version) });
  }
  const filled = [...perTable.values()].filter((seen) => seen.rows >= window);
  const horizon = Math.min(...filled.map((seen) => seen.last));
  const versions = [...rowsPerVersion.keys()].sort((a, b) => a - b);
  let upTo: number | null = null;
  let taken = 0;
  for (const version of versions) {
    taken += rowsPerVersion.get(version)!;
    if (version >= horizon || taken > budget) break;
    upTo = version;
  }
  if (upTo === null) {
    if (!alone) return null;
    upTo = versions[0]!;
  }
  const newest: number = upTo;
  const more = versions.some((version) => version > newest) || (filled.length > 0 && newest < current);
  if (!more) upTo = current;

  const rows = new Map<string, Row[]>();
  let count = 0;
  for (const { table, condition } of scoped) {
    const seen = perTable.get(table.name);
    if (!seen || seen.first > upTo) continue;
    const tableRows = await untyped(trx)
      .selectFrom(table.name)
      .selectAll()
      .where(condition)
      .where('server_version', '>', cursor)
      .where('server_version', '<=', upTo)
      .orderBy('server_version')
      .$call((query) => table.key.reduce((ordered, column) => ordered.orderBy(column), query))
      .execute();
    rows.set(table.name, tableRows);
    count += tableRows.length;
  }
  return { upTo, rows, count };
}
