import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { syncedTables } from './0001_synced_tables.ts';
import { sync } from './0002_sync.ts';
import { conflictRules } from './0003_conflict_rules.ts';
import { conflictStamps } from './0004_conflict_stamps.ts';
import { receiptVersions } from './0005_receipt_versions.ts';
import { alertAcknowledgements } from './0006_alert_acknowledgements.ts';

export interface PostgresMigration {
  /** Equals the position in `postgresMigrations` plus one; the first part of its recorded name. */
  version: number;
  name: string;
  /** DDL statements, run in the migration's transaction (PostgreSQL's DDL is transactional). */
  sql: string;
}

/** Every server migration, in order. A new migration is a new file appended here; never edit a shipped one. */
export const postgresMigrations: readonly PostgresMigration[] = [syncedTables, sync, conflictRules, conflictStamps, receiptVersions, alertAcknowledgements];

export const latestPostgresVersion = postgresMigrations.length;

/**
 * The name kysely's Migrator records (`0001_synced_tables`): it orders migrations by name, so the
 * version comes first, zero-padded.
 */
export const migrationName = (migration: PostgresMigration) => `${String(migration.version).padStart(4, '0')}_${migration.name}`;

const migrationsByName: Readonly<Record<string, Migration>> = Object.fromEntries(
  postgresMigrations.map((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Server migration ${migration.name} is version ${migration.version} at place ${index + 1} of the list`);
    const up = async (db: Kysely<unknown>) => {
      await sql.raw(migration.sql).execute(db);
    };
    return [migrationName(migration), { up }];
  }),
);

const provider: MigrationProvider = { getMigrations: async () => migrationsByName };

/**
 * Brings the database to this build's newest migration (or to the one named by `to`, for tests
 * starting from an older version) with kysely's Migrator: every pending migration in one
 * transaction, under the Migrator's advisory lock on PostgreSQL, so two server processes starting
 * on one database migrate it once, one after the other. Returns how many migrations the database
 * has. A database written by a newer server is refused and left as it is.
 */
export async function migratePostgres<D>(db: Kysely<D>, options: { to?: string } = {}): Promise<number> {
  const migrator = new Migrator({ db, provider });
  const { error } = options.to === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(options.to);
  if (error !== undefined) {
    // The Migrator refuses a migration it does not know as "corrupted"; say what it means. A
    // failure to read the list hides nothing: the Migrator's own error is thrown then.
    const newer = await unknownMigrations(db).catch(() => []);
    if (newer.length > 0) {
      throw new Error(
        `This database was written by a newer Box Office server (it has migration ${newer.at(-1)}; this build knows up to ${migrationName(postgresMigrations.at(-1)!)}). Update the server`,
      );
    }
    throw error instanceof Error ? error : new Error(String(error));
  }
  return (await appliedMigrations(db)).length;
}

async function appliedMigrations<D>(db: Kysely<D>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.map((row) => row.name);
}

async function unknownMigrations<D>(db: Kysely<D>): Promise<string[]> {
  return (await appliedMigrations(db)).filter((name) => !Object.hasOwn(migrationsByName, name));
}
