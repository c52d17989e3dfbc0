import { DomainError } from '../../core/errors.ts';
import type { Store } from '../../db/store.ts';

/**
 * The terminal's synced tables as its own schema declares them (db/migrations, the one source),
 * and the check every row from the server passes before the terminal writes it: the table is
 * synced here, every column is one of its columns, and every value has the column's type.
 *
 * A table is synced when it has a `server_version` column (DESIGN.md section 4: every row that
 * syncs carries it; the outbox, the terminal's state, its readers and the search projections have
 * none). Its integer row key, when it has one (customers.search_rowid, the FTS rowid), is the
 * store's own and never comes from the server.
 */

type ColumnType = 'TEXT' | 'INTEGER' | 'REAL' | 'ANY';

interface Column {
  type: ColumnType;
  /** NOT NULL without a default: a row must give it a value. */
  required: boolean;
}

export interface SyncedTable {
  name: string;
  columns: ReadonlyMap<string, Column>;
}

/** A value as SQLite takes it from better-sqlite3. */
export type SqlValue = string | number | null;
export type LoadedRow = Record<string, SqlValue>;

const cache = new WeakMap<Store, ReadonlyMap<string, SyncedTable>>();

/** The synced tables of this store, by name; read once per store (its schema is migrated before it opens). */
export function syncedTablesOf(store: Store): ReadonlyMap<string, SyncedTable> {
  let tables = cache.get(store);
  if (!tables) {
    tables = readSyncedTables(store);
    cache.set(store, tables);
  }
  return tables;
}

function readSyncedTables(store: Store): Map<string, SyncedTable> {
  const tables = new Map<string, SyncedTable>();
  const names = store.db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
  for (const { name } of names) {
    const info = store.db.prepare<[], { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }>(`PRAGMA table_info("${name}")`).all();
    if (!info.some((column) => column.name === 'server_version')) continue;
    const rowKey = info.filter((column) => column.pk > 0);
    const columns = new Map<string, Column>();
    for (const column of info) {
      if (rowKey.length === 1 && column.pk === 1 && column.type.toUpperCase() === 'INTEGER') continue;
      columns.set(column.name, { type: columnType(column.type), required: column.notnull === 1 && column.dflt_value === null });
    }
    tables.set(name, { name, columns });
  }
  return tables;
}

function columnType(declared: string): ColumnType {
  const type = declared.toUpperCase();
  return type === 'TEXT' || type === 'INTEGER' || type === 'REAL' ? type : 'ANY';
}

/** A refusal of what the server sent: the terminal writes nothing of the page. */
export class MalformedSnapshot extends DomainError {
  constructor(message: string, field?: string) {
    super('VALIDATION', message, field);
  }
}

/** The synced table named, or a refusal naming what this terminal holds. */
export function syncedTable(store: Store, name: string): SyncedTable {
  const table = syncedTablesOf(store).get(name);
  if (!table) throw new MalformedSnapshot(`The server sent rows of table "${name}", which this terminal does not sync: is the server of another version of Box Office?`, 'table');
  return table;
}

/**
 * The rows, checked against the table: each is an object of the table's columns with values of
 * their types. Throws on the first bad row, naming it by its place in the page and its id.
 */
export function checkedRows(table: SyncedTable, rows: readonly unknown[]): LoadedRow[] {
  rows.forEach((candidate, index) => {
    if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) throw new MalformedSnapshot(`Row ${index + 1} of ${table.name} from the server is ${describe(candidate)}, not a row`);
    const row = candidate as Record<string, unknown>;
    const where = () => `Row ${index + 1} of ${table.name} from the server${typeof row.id === 'string' ? ` (id ${row.id})` : ''}`;
    for (const name in row) {
      const value = row[name];
      const column = table.columns.get(name);
      if (!column) throw new MalformedSnapshot(`${where()} has a column "${name}", which ${table.name} does not have on this terminal`, name);
      if (!fits(column.type, value)) throw new MalformedSnapshot(`${where()} has ${describe(value)} in ${name}, which holds ${column.type === 'ANY' ? 'text or numbers' : column.type === 'TEXT' ? 'text' : 'numbers'}`, name);
    }
    for (const [name, column] of table.columns) {
      if (column.required && (row[name] === undefined || row[name] === null)) throw new MalformedSnapshot(`${where()} has no ${name}, which ${table.name} requires`, name);
    }
  });
  return rows as LoadedRow[];
}

function fits(type: ColumnType, value: unknown): boolean {
  if (value === null) return true;
  switch (type) {
    case 'TEXT':
      return typeof value === 'string';
    case 'INTEGER':
      return Number.isSafeInteger(value);
    case 'REAL':
      return typeof value === 'number' && Number.isFinite(value);
    case 'ANY':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return `a ${Array.isArray(value) ? 'list' : typeof value}`;
}

/** Per synced table that holds rows, how many (counted up to 1,000): a store where none does is fresh. */
export function syncedRowCounts(store: Store): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of syncedTablesOf(store).keys()) {
    const { held } = store.db.prepare<[], { held: number }>(`SELECT count(*) AS held FROM (SELECT 1 FROM "${name}" LIMIT 1000)`).get()!;
    if (held > 0) counts[name] = held;
  }
  return counts;
}
