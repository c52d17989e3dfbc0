import { sql, type Kysely } from 'kysely';
import { syncedTables } from './0001_synced_tables.ts';
import { sync } from './0002_sync.ts';
import { conflictRules } from './0003_conflict_rules.ts';

export interface PostgresMigration {
  /** Equals the position in `postgresMigrations` plus one; recorded in schema_migrations. */
  version: number;
  name: string;
  /** DDL statements, run in one transaction (PostgreSQL's DDL is transactional). */
  sql: string;
}

/** Every server migration, in order. A new migration is a new file appended here; never edit a shipped one. */
export const postgresMigrations: readonly PostgresMigration[] = [syncedTables, sync, conflictRules];

export const latestPostgresVersion = postgresMigrations.length;

// Any fixed number: held for the migration's transaction, so two server processes starting on one
// database migrate it once, one after the other.
const migrationLock = 0x626f78;

/** Applies each pending migration in its own transaction, holding an advisory lock; returns the version reached. */
export async function migratePostgres<D>(db: Kysely<D>): Promise<number> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`.execute(db);
  for (const migration of postgresMigrations) {
    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${migrationLock})`.execute(trx);
      const applied = await sql<{ version: number }>`SELECT version FROM schema_migrations WHERE version = ${migration.version}`.execute(trx);
      if (applied.rows.length > 0) return;
      await sql.raw(migration.sql).execute(trx);
      await sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${migration.version}, ${migration.name}, ${new Date().toISOString()})`.execute(trx);
    });
  }
  const newest = await sql<{ version: number | null }>`SELECT max(version) AS version FROM schema_migrations`.execute(db);
  const version = newest.rows[0]?.version ?? 0;
  if (version > latestPostgresVersion) {
    throw new Error(`This database was written by a newer Box Office server (schema ${version}; this build knows ${latestPostgresVersion}).`);
  }
  return version;
}
