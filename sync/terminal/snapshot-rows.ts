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

/** A page's rows as they go into the table: each row its values, in the order of `columns`. */
export interface CheckedRows {
  columns: readonly string[];
  rows: readonly (readonly SqlValue[])[];
}

/**
 * A page's columns and rows, checked against the table: the columns are the table's, each once,
 * with every column a row must give; each row is a list of one value per column, of the column's
 * type. Throws on the first bad column or row, naming the row by its place in the page and its id.
 */
export function checkedRows(table: SyncedTable, columns: readonly string[], rows: readonly unknown[]): CheckedRows {
  const types = columns.map((name, index) => {
    const column = table.columns.get(name);
    if (!column) throw new MalformedSnapshot(`The server sent ${table.name} with a column "${name}", which ${table.name} does not have on this terminal`, name);
    if (columns.indexOf(name) !== index) throw new MalformedSnapshot(`The server sent ${table.name} with the column "${name}" twice`, name);
    return column;
  });
  for (const [name, column] of table.columns) {
    if (column.required && !columns.includes(name)) throw new MalformedSnapshot(`The server sent ${table.name} without ${name}, which ${table.name} requires`, name);
  }
  const idAt = columns.indexOf('id');
  rows.forEach((candidate, index) => {
    if (!Array.isArray(candidate)) throw new MalformedSnapshot(`Row ${index + 1} of ${table.name} from the server is ${describe(candidate)}, not a list of values`);
    if (candidate.length !== columns.length) {
      throw new MalformedSnapshot(`Row ${index + 1} of ${table.name} from the server has ${candidate.length} values, not one for each of its ${columns.length} columns`);
    }
    const row = candidate as unknown[];
    for (let at = 0; at < types.length; at += 1) {
      const value = row[at];
      const column = types[at]!;
      if (value === null ? column.required : !fits(column.type, value)) {
        const where = `Row ${index + 1} of ${table.name} from the server${idAt >= 0 && typeof row[idAt] === 'string' ? ` (id ${row[idAt] as string})` : ''}`;
        const name = columns[at]!;
        throw new MalformedSnapshot(
          value === null ? `${where} has no ${name}, which ${table.name} requires` : `${where} has ${describe(value)} in ${name}, which holds ${column.type === 'ANY' ? 'text or numbers' : column.type === 'TEXT' ? 'text' : 'numbers'}`,
          name,
        );
      }
    }
  });
  return { columns, rows: rows as SqlValue[][] };
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
