import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
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
  return new Kysely<ServerDB>({ dialect: new PostgresDialect({ pool: preparingPool(new pg.Pool({ connectionString, types })) }) });
}

// One name per SQL text, for every connection of the process: pg prepares a named statement once
// per connection and then only binds and executes it.
const statementNames = new Map<string, string>();

/**
 * The pool kysely runs on, its clients running each parameterised query as a named prepared
 * statement: PostgreSQL then parses and plans a command body's statements once per connection
 * instead of at every run. A push runs 7 to 9 statements per scan while it holds the event's row,
 * so parse and plan were a quarter of a push (bench/server.bench.ts). Queries without parameters
 * (migrations' scripts, transaction control) go as they are: a script of several statements cannot
 * be prepared.
 */
function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      return {
        query: ((text: unknown, values?: unknown[]) => {
          if (typeof text !== 'string' || values === undefined || values.length === 0) return client.query(text as string, values);
          let name = statementNames.get(text);
          if (name === undefined) statementNames.set(text, (name = `box_office_${statementNames.size + 1}`));
          return client.query({ name, text, values });
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
    options: pool.options,
  };
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
