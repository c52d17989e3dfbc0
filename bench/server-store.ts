import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openServerDatabase, type ServerDatabase, type ServerStoreOptions } from '../server/db/database.ts';
import { createScratchDatabase } from '../server/db/scratch-database.ts';

/**
 * The central server's store for a benchmark (server.bench.ts, sync.bench.ts): PostgreSQL (a fresh
 * database made from BOX_OFFICE_BENCH_POSTGRES's maintenance database, dropped after) or PGlite in
 * a temporary folder, as BENCH_SERVER_STORES asks (both by default).
 */

export const storeKinds = ['postgres', 'pglite'] as const;
export type StoreKind = (typeof storeKinds)[number];

/** The stores BENCH_SERVER_STORES names (postgres, pglite or both). */
export function askedStores(): StoreKind[] {
  const asked = (process.env.BENCH_SERVER_STORES ?? storeKinds.join(',')).split(',').map((kind) => kind.trim());
  const stores = storeKinds.filter((kind) => asked.includes(kind));
  if (stores.length === 0) throw new Error(`BENCH_SERVER_STORES must name postgres, pglite or both, got ${process.env.BENCH_SERVER_STORES}`);
  return stores;
}

const postgresAdminUrl = process.env.BOX_OFFICE_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated store of the kind asked for, where it is (for the server's live announcer), and how to throw it away. */
export async function openBenchStore(kind: StoreKind): Promise<{ db: ServerDatabase; options: ServerStoreOptions; drop(): Promise<void> }> {
  if (kind === 'postgres') {
    const database = await createScratchDatabase(postgresAdminUrl, 'box_office_bench');
    const options = { postgres: database.url };
    const db = await openServerDatabase(options);
    return {
      db,
      options,
      async drop() {
        await db.destroy();
        await database.drop();
      },
    };
  }
  // In a folder, as `box-office-server start` keeps it: 2.5 million rows are not held in memory.
  const folder = mkdtempSync(join(tmpdir(), 'box-office-server-bench-'));
  const options = { pglite: folder };
  const db = await openServerDatabase(options);
  return {
    db,
    options,
    async drop() {
      await db.destroy();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
