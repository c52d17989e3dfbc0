import type { SqliteDatabase } from './connection.ts';

/**
 * Which of the terminal's tables sync (DESIGN.md section 4), listed once from the live schema: every
 * table is synced unless it is one of the terminal's own below. Synced tables must end equal on every
 * store that ran the same envelopes; a pending command keeps the before-images of the rows it writes
 * in them (migration 0015), and a pull upserts the ones the server stamps with a `server_version`.
 */

/**
 * The tables that stay on the terminal and never sync: the outbox, the terminal's own state (device
 * id, seq, HLC, chosen event, station lock, sync cursors), its readers, its wrong-PIN counts, the
 * envelopes a journal replay recorded, the pending commands' before-images and the flag that
 * captures them, and the search projections (FTS tables and their shadow tables, rebuilt from
 * customers and web users).
 */
export const terminalOnlyTables: readonly string[] = [
  'outbox',
  'terminal_state',
  'readers',
  'operator_sign_in_failures',
  'replayed_envelopes',
  'before_images',
  'command_capture',
];

const searchIndexes = ['customer_search', 'web_user_search'];
const isTerminalOnly = (name: string) => terminalOnlyTables.includes(name) || searchIndexes.some((index) => name === index || name.startsWith(`${index}_`));

/** Columns of synced tables that only the terminal has: the customers' key into their FTS index. */
export const terminalOnlyColumns: Readonly<Record<string, readonly string[]>> = { customers: ['search_rowid'] };

/** The synced tables' names, from the store's schema (a new table is synced unless listed above). */
export function syncedTables(db: SqliteDatabase): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map(({ name }) => name)
    .filter((name) => !isTerminalOnly(name));
}

export interface TableColumn {
  name: string;
  /** The declared type of a STRICT table: INTEGER, TEXT, REAL, BLOB or ANY. */
  type: string;
  notNull: boolean;
  /** Position in the primary key (1, 2…), 0 when not part of it. */
  primaryKey: number;
}

/** A table's columns as the schema declares them, in their order. */
export function tableColumns(db: SqliteDatabase, table: string): TableColumn[] {
  return (db.prepare('SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?)').all(table) as { name: string; type: string; not_null: number; pk: number }[]).map(
    (column) => ({ name: column.name, type: column.type.toUpperCase(), notNull: column.not_null === 1, primaryKey: column.pk }),
  );
}
