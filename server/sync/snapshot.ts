import { sql } from 'kysely';
import { z } from 'zod';
import { invalid } from '../../core/errors.ts';
import { snapshotPageBytes, snapshotPageRows, type SnapshotPage, type SnapshotRequest } from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import type { Device } from '../devices/enrolment.ts';
import { currentVersions, cursorAtMost } from './pull.ts';
import { inScope, pulledTables, untyped, type PulledTable } from './pulled-tables.ts';
import { followedScopes, visibleColumns, visibleTables } from './visible-rows.ts';

/**
 * A terminal's first load (DESIGN.md section 6, "First load"): a scope's rows at version V, table
 * after table (parents first), each in primary-key order, in pages.
 *
 * A page is the rows with `server_version <= V` after a key (key-set pagination: no OFFSET, so a
 * page costs the same at the end of a big table as at its start), and holds no state on the
 * server: any server process answers the same (V, table, after) with the same page, for as long as
 * none of its rows changes. Rows are never deleted (tombstones), and a row changed after V carries
 * a version above V: it leaves the snapshot, and the pull from V that follows the load brings it.
 * The terminal therefore ends, after that pull, with every row at its newest, whenever it loaded.
 */

export interface PageLimits {
  rows: number;
  bytes: number;
}

/** A snapshot page as the server sends it: its JSON text, written around the rows PostgreSQL wrote. */
export interface EncodedSnapshotPage {
  version: number;
  next: SnapshotPage['next'];
  /** Rows the page holds. */
  rows: number;
  /**
   * The page's JSON, with the server's time when it is sent: a page read ahead (snapshot-read-ahead.ts)
   * waits a while before it goes, and the terminal takes its clock offset from every answer.
   */
  json(serverTime: string): string;
}

/** The page's fields but its rows, which travel as the JSON text the database wrote, and its time. */
type PageHead = Omit<SnapshotPage, 'rows' | 'serverTime'>;

export async function snapshotPage(
  db: ServerDatabase,
  device: Device,
  request: SnapshotRequest,
  limits: PageLimits = { rows: snapshotPageRows, bytes: snapshotPageBytes },
): Promise<EncodedSnapshotPage> {
  const { scope } = request;
  // Refuses, naming the field, a scope the device may not follow.
  followedScopes(device, [scope], () => 'scope');
  const tables = visibleTables(device.role, await pulledTables(db)).filter((table) => inScope(table, scope) !== null);
  const table = request.table === undefined ? tables[0]! : tables.find((candidate) => candidate.name === request.table);
  if (!table) throw invalid(`A snapshot of ${scope === '' ? 'the rows of no event' : `event ${scope}`} has no table ${request.table}: it has ${tables.map((candidate) => candidate.name).join(', ')}`, 'table');
  const current = (await currentVersions(db, [scope]))[scope]!;
  const version = request.version === undefined ? current : cursorAtMost(request.version, current, 'version');
  const after = request.after === undefined ? null : keyAfter(request.after, table);
  const columns = visibleColumns(device.role, table);

  const read = await pageRows(db, table, columns, scope, version, after, limits);
  const following = tables[tables.indexOf(table) + 1];
  const next =
    read.last !== null
      ? { table: table.name, after: read.last }
      : following && version > 0
        ? { table: following.name, after: null }
        : null;
  const head: PageHead = { scope, version, table: table.name, columns: [...columns], next };
  if (request.version === undefined) {
    head.totals = await rowCounts(db, tables, scope, version);
    if (scope === '') head.events = await receivedEvents(db, device);
  }
  // The head's JSON with the time and the rows added before its closing brace.
  const opening = JSON.stringify(head).slice(0, -1);
  return { version, next, rows: read.count, json: (serverTime) => `${opening},"serverTime":${JSON.stringify(serverTime)},"rows":[${read.rows}]}` };
}

/**
 * A page's rows as the JSON the database writes (a list of values per row, joined by commas) and,
 * when more rows follow in the table, the key of its last row. PostgreSQL writes the rows (about
 * 5 ms of its time per 10,000 tickets to read them, 50 to write them): reading them into objects
 * through the driver and writing them out again took the server's process 120 ms a page, on the
 * same CPU the terminal's work needs. The page ends at `limits.rows` rows, or before the row that
 * would take its JSON past `limits.bytes` (a bigger row travels alone).
 */
async function pageRows(
  db: ServerDatabase,
  table: PulledTable,
  columns: readonly string[],
  scope: string,
  version: number,
  after: readonly (string | number)[] | null,
  limits: PageLimits,
): Promise<{ rows: string; count: number; last: string | null }> {
  const ref = (column: string) => sql.ref(`${table.name}.${column}`);
  const key = sql.join(table.key.map(ref));
  const { rows } = await sql<{ rows: string | null; count: number | string; read: number | string; last: string | null }>`
    WITH page AS (
      SELECT json_build_array(${sql.join(columns.map(ref))})::text AS row,
             json_build_array(${key})::text AS key,
             row_number() OVER (ORDER BY ${key}) AS n
      FROM ${sql.table(table.name)}
      WHERE ${inScope(table, scope)!} AND ${ref('server_version')} <= ${version}
        ${after === null ? sql`` : sql`AND (${key}) > (${sql.join([...after])})`}
      ORDER BY ${key}
      LIMIT ${limits.rows + 1}
    ),
    kept AS (
      SELECT row, key, n FROM (SELECT row, key, n, sum(octet_length(row) + 1) OVER (ORDER BY n) AS bytes FROM page) sized
      WHERE n <= ${limits.rows} AND (n = 1 OR bytes <= ${limits.bytes})
    )
    SELECT (SELECT string_agg(row, ',' ORDER BY n) FROM kept) AS rows,
           (SELECT count(*) FROM kept) AS count,
           (SELECT count(*) FROM page) AS read,
           (SELECT key FROM kept ORDER BY n DESC LIMIT 1) AS last`.execute(db);
  const answer = rows[0]!;
  const count = Number(answer.count);
  const more = count < Number(answer.read) && answer.last !== null;
  return { rows: answer.rows ?? '', count, last: more ? keyAsAfter(answer.last!) : null };
}

/**
 * A row's key as a page's `after` carries it, from the `json_build_array(<key>)::text` the database
 * wrote: `after` is opaque to the terminal, and written as JSON.stringify writes it, without the
 * database's spaces. The consistency check lists changed rows' keys alike (consistency.ts).
 */
export function keyAsAfter(keyJson: string): string {
  return JSON.stringify(JSON.parse(keyJson));
}

/**
 * Rows per table of the snapshot at V, for the terminal's time left: one count per table, on the
 * first page only (the counts of 1,000,000 tickets cost a read of their index, once per load).
 */
async function rowCounts(db: ServerDatabase, tables: readonly PulledTable[], scope: string, version: number): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  for (const table of tables) {
    const { count } = await untyped(db)
      .selectFrom(table.name)
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
      .where(inScope(table, scope)!)
      .where('server_version', '<=', version)
      .executeTakeFirstOrThrow();
    totals[table.name] = Number(count);
  }
  return totals;
}

/** The events a device receives, by id: its own, or every event for a device enrolled for every event. */
async function receivedEvents(db: ServerDatabase, device: Device): Promise<string[]> {
  if (device.event_id !== null) return [device.event_id];
  const events = await db.selectFrom('events').select('id').orderBy('id').execute();
  return events.map((event) => event.id);
}

const keyValues = z.array(z.union([z.string(), z.number()]));

/** The key a page starts after, from the `next.after` the previous page gave. */
function keyAfter(after: string, table: PulledTable): readonly (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(after);
  } catch {
    parsed = undefined;
  }
  const key = keyValues.length(table.key.length).safeParse(parsed);
  if (!key.success) throw invalid(`After must be the next.after the previous page gave: a JSON list of the key of ${table.name} (${table.key.join(', ')})`, 'after');
  return key.data;
}
