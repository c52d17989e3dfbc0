import Database from 'better-sqlite3';
import { migrateToLatest } from './migrations/index.ts';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** Skip migrations: used by migration tests that step through versions themselves. */
  migrate?: boolean;
  readonly?: boolean;
}

/**
 * Opens the local store with the settings of DESIGN.md section 5: WAL so readers never wait for the
 * writer, NORMAL sync for scans and edits (money-moving commands ask for FULL themselves), a busy
 * timeout because the sync worker and import worker hold their own connections, foreign keys on.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const db = new Database(file, { readonly: options.readonly ?? false });
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Large page cache and memory-mapped reads keep card and search lookups in memory at 1M rows.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  db.pragma('temp_store = MEMORY');
  if (options.migrate ?? !options.readonly) migrateToLatest(db);
  return db;
}
