import { sql } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { invalid } from '../../core/errors.ts';
import { snapshotPageBytes, snapshotPageRows, type SnapshotPage, type SnapshotRequest } from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import type { Device } from '../devices/enrolment.ts';
import { currentVersions, cursorAtMost } from './pull.ts';
import { inScope, pulledTables, untyped, type PulledTable, type Row } from './pulled-tables.ts';
import { followedScopes, visibleRows, visibleTables } from './visible-rows.ts';

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

export async function snapshotPage(
  db: ServerDatabase,
  clock: Clock,
  device: Device,
  request: SnapshotRequest,
  limits: PageLimits = { rows: snapshotPageRows, bytes: snapshotPageBytes },
): Promise<SnapshotPage> {
  const { scope } = request;
  // Refuses, naming the field, a scope the device may not follow.
  followedScopes(device, [scope], () => 'scope');
  const tables = visibleTables(device.role, await pulledTables(db)).filter((table) => inScope(table, scope) !== null);
  const table = request.table === undefined ? tables[0]! : tables.find((candidate) => candidate.name === request.table);
  if (!table) throw invalid(`A snapshot of ${scope === '' ? 'the rows of no event' : `event ${scope}`} has no table ${request.table}: it has ${tables.map((candidate) => candidate.name).join(', ')}`, 'table');
  const current = (await currentVersions(db, [scope]))[scope]!;
  const version = request.version === undefined ? current : cursorAtMost(request.version, current, 'version');
  const after = request.after === undefined ? null : keyAfter(request.after, table);

  const read = await untyped(db)
    .selectFrom(table.name)
    .selectAll()
    .where(inScope(table, scope)!)
    .where('server_version', '<=', version)
    .$if(after !== null, (query) => query.where(sql<boolean>`(${sql.join(table.key.map((column) => sql.ref(column)))}) > (${sql.join(after!)})`))
    .$call((query) => table.key.reduce((ordered, column) => ordered.orderBy(column), query))
    .limit(limits.rows + 1)
    .execute();
  const rows = withinBytes(read.slice(0, limits.rows), limits.bytes);
  const following = tables[tables.indexOf(table) + 1];
  const next =
    rows.length < read.length
      ? { table: table.name, after: JSON.stringify(table.key.map((column) => rows.at(-1)![column])) }
      : following && version > 0
        ? { table: following.name, after: null }
        : null;
  const page: SnapshotPage = { scope, version, table: table.name, rows: visibleRows(device.role, table.name, rows), next, serverTime: clock.now().toISOString() };
  if (request.version !== undefined) return page;
  const totals = await rowCounts(db, tables, scope, version);
  return scope === '' ? { ...page, totals, events: await receivedEvents(db, device) } : { ...page, totals };
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

/**
 * The first rows whose JSON fits in a page's bytes, at least one (a row bigger than a page travels
 * alone). Each row's JSON length is counted, not written: writing every row out here and again to
 * send the page cost a fifth of a first load's server time (bench/server.bench.ts).
 */
function withinBytes(rows: readonly Row[], limit: number): Row[] {
  let bytes = 0;
  let kept = 0;
  for (const row of rows) {
    bytes += jsonLength(row);
    if (kept > 0 && bytes > limit) break;
    kept += 1;
  }
  return rows.slice(0, kept);
}

/**
 * A row's JSON length near enough for a page's cap: its names, values, quotes and separators. It
 * leaves out escapes and counts UTF-16 units rather than UTF-8 bytes, so a page of mostly accented
 * names may run a little over the cap; the cap bounds memory and answer size, it is no protocol limit.
 */
export function jsonLength(row: Row): number {
  // `{`, then `"name":value` and a comma or the `}` after each: an empty row is `{}`.
  let length = 1;
  for (const name in row) {
    const value = row[name];
    length += name.length + 4 + (typeof value === 'string' ? value.length + 2 : value === null || value === undefined ? 4 : String(value).length);
  }
  return Math.max(length, 2);
}

const keyValues = z.array(z.union([z.string(), z.number()]));

/** The key a page starts after, from the `next.after` the previous page gave. */
function keyAfter(after: string, table: PulledTable): (string | number)[] {
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
