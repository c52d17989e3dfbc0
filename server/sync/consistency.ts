import { sql, type Expression, type SqlBool } from 'kysely';
import { invalid } from '../../core/errors.ts';
import { maxChangedAfterRows, type CheckRequest, type CheckResponse, type Cursors, type TableCheck } from '../../sync/protocol.ts';
import { rowHashSql } from '../../sync/row-digest.ts';
import type { ServerDatabase } from '../db/database.ts';
import type { Device } from '../devices/enrolment.ts';
import { currentVersions, cursorAtMost } from './pull.ts';
import { inScope, pulledTables, type PulledTable } from './pulled-tables.ts';
import { keyAsAfter } from './snapshot.ts';
import { followedScopes, visibleColumns, visibleTables } from './visible-rows.ts';

/**
 * The consistency check (DESIGN.md section 6): per table a device receives, the rows the server
 * holds in the scopes the terminal asks about, up to its cursors, as a count and a digest
 * (sync/row-digest.ts says what the digest is and why the terminal computes the same one). A
 * terminal whose count or digest differs reloads that table from the snapshot.
 *
 * Only rows at or below a cursor are counted: those are the versions the terminal holds. A row
 * changed after its cursor is listed by key instead, so the terminal leaves its own copy (older,
 * or none) out of its digest too, and a check needs no pull to finish first. Past `maxChanged` such
 * rows the answer has no tables: listing them would cost more than the pull that brings them.
 *
 * Everything is read in one REPEATABLE READ transaction: a row changed while the check runs is
 * either counted at its old version or listed as changed, never neither nor both.
 */

/** The check's answer but the server's time, which the route adds as it sends it. */
export type TableChecks = Omit<CheckResponse, 'serverTime'>;

/** A table with the scopes asked for that hold it, and how its rows of each are found. */
interface CheckedTable {
  table: PulledTable;
  scopes: { scope: string; condition: Expression<SqlBool> }[];
}

export async function tableChecks(db: ServerDatabase, device: Device, request: CheckRequest, maxChanged = maxChangedAfterRows): Promise<TableChecks> {
  const asked = Object.keys(request.cursors);
  if (asked.length === 0) throw invalid('A check names the scopes this terminal holds, each with its cursor', 'cursors');
  // Refuses, naming `cursors.<scope>`, a scope the device may not follow; the device's own are not added.
  const scopes = followedScopes(device, asked, (scope) => `cursors.${scope}`).filter((scope) => scope in request.cursors);
  const tables = visibleTables(device.role, await pulledTables(db)).flatMap((table): CheckedTable[] => {
    const held = scopes.flatMap((scope) => {
      const condition = inScope(table, scope);
      return condition === null ? [] : [{ scope, condition }];
    });
    return held.length === 0 ? [] : [{ table, scopes: held }];
  });

  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const versions = await currentVersions(trx, scopes);
      const cursors: Cursors = {};
      for (const scope of scopes) cursors[scope] = cursorAtMost(request.cursors[scope]!, versions[scope]!, `cursors.${scope}`);
      // The changed rows first: a terminal far behind costs the server a few short reads, no digests.
      const changed = await changedAfter(trx, tables, cursors, maxChanged);
      if (changed === null) return { versions, tables: null };
      const checks: TableCheck[] = [];
      for (const { table, scopes: held } of tables) {
        const columns = visibleColumns(device.role, table);
        let rows = 0;
        let digest = 0n;
        for (const { scope, condition } of held) {
          const scoped = await heldDigest(trx, table, columns, condition, cursors[scope]!);
          rows += scoped.rows;
          digest += scoped.digest;
        }
        checks.push({
          table: table.name,
          scopes: held.map(({ scope }) => scope),
          key: [...table.key],
          columns: [...columns],
          rows,
          digest: digest.toString(),
          changedAfter: changed.get(table.name)!,
        });
      }
      return { versions, tables: checks };
    });
}

const column = (table: PulledTable, name: string) => sql.ref(`${table.name}.${name}`);

/**
 * Per table, the keys of the rows changed after their scope's cursor, as a snapshot's `after`
 * writes them; null past `most` rows. Each read asks for one row more than the rows still allowed
 * (LIMIT), through the table's `server_version` index, so a terminal far behind costs at most
 * `most + 1` keys.
 */
async function changedAfter(trx: ServerDatabase, tables: readonly CheckedTable[], cursors: Cursors, most: number): Promise<Map<string, string[]> | null> {
  const keys = new Map<string, string[]>();
  let listed = 0;
  for (const { table, scopes } of tables) {
    const key = sql.join(table.key.map((name) => column(table, name)));
    const tableKeys: string[] = [];
    for (const { scope, condition } of scopes) {
      const { rows } = await sql<{ key: string }>`
        SELECT json_build_array(${key})::text AS key FROM ${sql.table(table.name)}
        WHERE ${condition} AND ${column(table, 'server_version')} > ${cursors[scope]!}
        ORDER BY ${column(table, 'server_version')}, ${key}
        LIMIT ${most - listed + 1}`.execute(trx);
      listed += rows.length;
      if (listed > most) return null;
      tableKeys.push(...rows.map((row) => keyAsAfter(row.key)));
    }
    keys.set(table.name, tableKeys);
  }
  return keys;
}

/**
 * The count and digest of a table's rows of one scope at or below its cursor, over the columns the
 * device receives in the order a snapshot page lists them. The database hashes each row's text
 * and sums the hashes (numeric: no overflow); the sum comes as decimal text, read as a BigInt.
 */
async function heldDigest(trx: ServerDatabase, table: PulledTable, columns: readonly string[], condition: Expression<SqlBool>, cursor: number): Promise<{ rows: number; digest: bigint }> {
  const { rows } = await sql<{ rows: string; digest: string }>`
    SELECT count(*)::text AS rows, coalesce(sum(${sql.raw(rowHashSql('held.row_text'))}), 0)::text AS digest
    FROM (
      SELECT json_build_array(${sql.join(columns.map((name) => column(table, name)))})::text AS row_text
      FROM ${sql.table(table.name)}
      WHERE ${condition} AND ${column(table, 'server_version')} <= ${cursor}
    ) AS held`.execute(trx);
  const { rows: count, digest } = rows[0]!;
  return { rows: Number(count), digest: BigInt(digest) };
}
