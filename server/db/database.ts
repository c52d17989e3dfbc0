import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ServerDB } from './schema.ts';
import { PgliteDialect } from './pglite-dialect.ts';
import { migratePostgres } from './migrations/index.ts';

/**
 * The server's store: the synced tables on PostgreSQL, or on PGlite in a data folder (or in memory)
 * when no database is configured. Either way a Kysely with PostgreSQL's dialect, migrated.
 *
 * The synced tables' row types are the terminal's (db/schema.ts, types only): the same columns, so
 * one command body reads and writes both. Counts and money come back as numbers on both sides:
 * PostgreSQL's bigint and numeric would otherwise arrive as strings.
 */
export type ServerDatabase = Kysely<ServerDB>;

export type ServerStoreOptions = { postgres: string } | { pglite: string | null };

const int8 = 20;
const numeric = 1700;
const toNumber = (value: string) => Number(value);

export async function openServerDatabase(options: ServerStoreOptions): Promise<ServerDatabase> {
  const db = 'postgres' in options ? postgresKysely(options.postgres) : await pgliteKysely(options.pglite);
  try {
    await migratePostgres(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

function postgresKysely(connectionString: string): ServerDatabase {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === int8 || oid === numeric ? toNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  return new Kysely<ServerDB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString, types }) }) });
}

/** How the server opens PGlite: counts and money parsed as numbers, as on PostgreSQL. */
export const pgliteOptions = { parsers: { [int8]: toNumber, [numeric]: toNumber } } satisfies PGliteOptions;

async function pgliteKysely(dataDir: string | null): Promise<ServerDatabase> {
  const pglite = await PGlite.create(dataDir ?? undefined, pgliteOptions);
  return new Kysely<ServerDB>({ dialect: new PgliteDialect(pglite) });
}

/**
 * The server's store on a PGlite opened by the caller (tests open theirs from a migrated image,
 * skipping initdb: about 1 s instead of 3 to 8 s), migrated. Destroying it closes the PGlite.
 */
export async function openServerDatabaseOnPglite(pglite: PGlite): Promise<ServerDatabase> {
  const db = new Kysely<ServerDB>({ dialect: new PgliteDialect(pglite) });
  try {
    await migratePostgres(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
