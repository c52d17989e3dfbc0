import { compareHlc, parseHlc, type HlcStamp } from '../../core/terminal/hlc.ts';
import type { Store } from '../../db/store.ts';
import { syncedTables, tableColumns, terminalOnlyColumns, type TableColumn } from '../../db/synced-tables.ts';
import type { TableRows } from '../protocol.ts';
import { UnexpectedAnswer } from './client.ts';
import type { TouchedCustomers } from './rebase.ts';

/**
 * The server's rows of a pull page on this terminal: checked whole against the store's schema
 * before anything is written (a table or a column the terminal does not hold, a value of the wrong
 * kind, a row without its key refuse the page and change nothing), then upserted by primary key
 * with the columns the server sent. Columns the server does not send keep their value (the
 * customers' search rowid, fields a gate is not sent); a tombstone is a row like any other.
 */

interface PulledTable {
  name: string;
  columns: ReadonlyMap<string, TableColumn>;
  key: readonly string[];
}

/** The tables a pull may write: the synced ones the server stamps with a version. */
function pulledTables(store: Store): Map<string, PulledTable> {
  const tables = new Map<string, PulledTable>();
  for (const name of syncedTables(store.db)) {
    const omitted = terminalOnlyColumns[name] ?? [];
    const declared = tableColumns(store.db, name);
    const columns = declared.filter((column) => !omitted.includes(column.name));
    if (!columns.some((column) => column.name === 'server_version')) continue;
    const key = declared.filter((column) => column.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey).map((column) => column.name);
    // A terminal-only key (the customers' search rowid) stands in for the server's: the id, unique here too.
    tables.set(name, { name, columns: new Map(columns.map((column) => [column.name, column])), key: key.some((column) => omitted.includes(column)) ? ['id'] : key });
  }
  return tables;
}

const kinds: Readonly<Record<string, { test: (value: unknown) => boolean; name: string }>> = {
  INTEGER: { test: (value) => typeof value === 'number' && Number.isSafeInteger(value), name: 'a whole number' },
  REAL: { test: (value) => typeof value === 'number' && Number.isFinite(value), name: 'a number' },
  TEXT: { test: (value) => typeof value === 'string', name: 'text' },
  ANY: { test: (value) => typeof value === 'string' || typeof value === 'number', name: 'a value' },
};

export const refused = (reason: string) => new UnexpectedAnswer(`The server sent a pull page this terminal refuses, nothing of it was applied: ${reason}`);

/** Every row of the page fits this terminal's schema, or the page is refused naming the first misfit. */
export function checkPulledRows(store: Store, changes: readonly TableRows[]): void {
  const tables = pulledTables(store);
  for (const { table: name, rows } of changes) {
    const table = tables.get(name);
    if (!table) throw refused(`it holds rows of table ${name}, which this terminal does not hold (is the server of a newer build?)`);
    rows.forEach((row, index) => {
      const where = `${name} row ${index + 1}`;
      for (const column of table.key) if (row[column] === undefined || row[column] === null) throw refused(`${where} has no ${column} (its key)`);
      const named = `${where} (${table.key.map((column) => String(row[column])).join(', ')})`;
      if (typeof row.server_version !== 'number') throw refused(`${named} has no server_version`);
      for (const [column, value] of Object.entries(row)) {
        const declared = table.columns.get(column);
        if (!declared) throw refused(`${named} has a column ${column}, which ${name} does not have on this terminal`);
        if (value === null) {
          if (declared.notNull) throw refused(`${named} has no value for ${column}, which cannot be empty`);
          continue;
        }
        const kind = kinds[declared.type] ?? kinds.ANY!;
        if (!kind.test(value)) throw refused(`${named} has ${JSON.stringify(value)} for ${column}, which holds ${kind.name}`);
      }
    });
  }
}

/**
 * Upserts the page's rows, tables in the order the server sent them (parents first). A row a unique
 * index refuses for now (a tag activated before the one it replaces was deactivated, in key order)
 * is tried again after the table's other rows; only a row that never fits fails the page.
 */
export function upsertPulledRows(store: Store, changes: readonly TableRows[], touched: TouchedCustomers): number {
  const tables = pulledTables(store);
  let count = 0;
  for (const { table: name, rows } of changes) {
    const table = tables.get(name)!;
    let waiting = rows;
    while (waiting.length > 0) {
      const refusedNow: Record<string, unknown>[] = [];
      let lastError: unknown;
      for (const row of waiting) {
        try {
          upsert(store, table, row);
        } catch (error) {
          if (!isUniqueViolation(error)) throw refused(`${name} row (${table.key.map((column) => String(row[column])).join(', ')}) does not fit this terminal (${(error as Error).message})`);
          refusedNow.push(row);
          lastError = error;
        }
      }
      if (refusedNow.length === waiting.length) {
        throw refused(`${name} row (${table.key.map((column) => String(refusedNow[0]![column])).join(', ')}) breaks a unique rule of this terminal (${(lastError as Error).message})`);
      }
      waiting = refusedNow;
    }
    count += rows.length;
    if (name === 'customers') for (const row of rows) touched.ids.add(row.id as string);
    if (name === 'customer_emails') for (const row of rows) if (typeof row.customer_id === 'string') touched.ids.add(row.customer_id);
  }
  return count;
}

function upsert(store: Store, table: PulledTable, row: Record<string, unknown>): void {
  const columns = Object.keys(row);
  const updated = columns.filter((column) => !table.key.includes(column));
  const quote = (column: string) => `"${column}"`;
  const text =
    `INSERT INTO "${table.name}" (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (${table.key.map(quote).join(', ')}) DO ${updated.length === 0 ? 'NOTHING' : `UPDATE SET ${updated.map((column) => `${quote(column)} = excluded.${quote(column)}`).join(', ')}`}`;
  store.statement(text).run(...columns.map((column) => row[column]));
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The newest hybrid-logical-clock stamp the page's rows carry (a column named `…hlc`, or a JSON
 * object of stamps named `…hlcs`: the customers' per-field stamps), as text; null when none. The
 * terminal merges it into its own clock, so an edit it makes after seeing another terminal's comes
 * after it by HLC (DESIGN.md section 6, "Clocks").
 */
export function newestStamp(changes: readonly TableRows[]): string | null {
  let newest: { text: string; stamp: HlcStamp } | null = null;
  const consider = (value: unknown) => {
    const stamp = typeof value === 'string' ? parseHlc(value) : undefined;
    if (stamp && (newest === null || compareHlc(stamp, newest.stamp) > 0)) newest = { text: value as string, stamp };
  };
  for (const { rows } of changes) {
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (column.endsWith('hlc')) consider(value);
        else if (column.endsWith('hlcs') && typeof value === 'string') for (const stamp of Object.values(parsedStamps(value))) consider(stamp);
      }
    }
  }
  return (newest as { text: string } | null)?.text ?? null;
}

function parsedStamps(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
