import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { syncedTables, terminalOnlyColumns } from '../../test/fixtures/synced-tables.ts';
import { freshPglite } from '../../test/fixtures/server-database.ts';
import { latestPostgresVersion, migratePostgres } from './migrations/index.ts';

/**
 * One body writes both stores (core/commands/tx.ts), so the synced tables must have the same
 * columns, with the same nullability and kind of value, on the terminal's SQLite and on PostgreSQL.
 */
const terminal = openDatabase(':memory:');
const server = await freshPglite();
afterAll(() => server.destroy());

type Kind = 'text' | 'integer';
const sqliteKind = (type: string): Kind => (type === 'INTEGER' ? 'integer' : 'text');
const postgresKind = (type: string): Kind => (type === 'integer' || type === 'bigint' ? 'integer' : 'text');

function terminalColumns(table: string) {
  const omitted = terminalOnlyColumns[table] ?? [];
  return (terminal.prepare(`SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?)`).all(table) as { name: string; type: string; not_null: number; pk: number }[])
    .filter((column) => !omitted.includes(column.name))
    .map((column) => ({ name: column.name, kind: sqliteKind(column.type), nullable: column.not_null === 0 && column.pk === 0 }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function serverColumns(table: string) {
  const { rows } = await sql<{ name: string; type: string; nullable: string }>`
    SELECT column_name AS name, data_type AS type, is_nullable AS nullable
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table}`.execute(server);
  return rows
    .map((column) => ({ name: column.name, kind: postgresKind(column.type), nullable: column.nullable === 'YES' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The server's own tables (migration 0002 and kysely's record of migrations): they never reach a terminal. */
const serverOnlyTables = ['kysely_migration', 'kysely_migration_lock', 'event_versions', 'devices', 'enrolment_codes', 'receipts'];

describe('the synced tables on PostgreSQL', () => {
  it('are the terminal synced tables, no more and no fewer', async () => {
    const { rows } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND NOT (table_name = ANY(${serverOnlyTables})) ORDER BY table_name`.execute(server);
    expect(rows.map((row) => row.name).sort()).toEqual(syncedTables(terminal).sort());
  });

  it.each(syncedTables(terminal))('%s has the terminal columns, kinds and nullability', async (table) => {
    // The audit log key is each store's own sequence; everything else matches.
    const columns = await serverColumns(table);
    expect(columns).toEqual(terminalColumns(table).map((column) => (table === 'audit_log' && column.name === 'id' ? { ...column, nullable: false } : column)));
  });

  it('migrates once, however often a server starts', async () => {
    expect(await migratePostgres(server as Kysely<unknown>)).toBe(latestPostgresVersion);
    expect(await migratePostgres(server as Kysely<unknown>)).toBe(latestPostgresVersion);
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM kysely_migration`.execute(server);
    expect(rows[0]!.n).toBe(latestPostgresVersion);
  });
});
