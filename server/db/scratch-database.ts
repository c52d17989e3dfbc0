import pg from 'pg';

/**
 * A PostgreSQL database made for one run and dropped after it: each test suite's and each
 * benchmark's own, so runs never see each other's rows. Made from a maintenance database
 * (`adminUrl`, usually `.../postgres`) by a role allowed to create databases.
 */
export interface ScratchDatabase {
  /** The new database's connection string. */
  url: string;
  /** Drops the database (its pools closed first). */
  drop(): Promise<void>;
}

let created = 0;

/** A fresh, empty database named `<prefix>_<pid>_<time>_<n>`; its URL and how to drop it. */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${(created += 1)}`;
  await onAdminDatabase(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onAdminDatabase(adminUrl, (client) => dropDatabase(client, name)) };
}

/**
 * A pool's end() resolves before its connections have closed. Plain DROP DATABASE waits (up to 5 s)
 * for those backends to exit, where WITH (FORCE) would terminate them and their closing clients
 * would throw "terminating connection due to administrator command" into the run. FORCE only
 * for connections a run left open.
 */
async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
  } catch (error) {
    if ((error as { code?: unknown }).code !== '55006') throw error;
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function onAdminDatabase<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
