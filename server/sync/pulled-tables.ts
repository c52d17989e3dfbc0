import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { ServerDatabase } from '../db/database.ts';

/**
 * The tables a terminal pulls and loads, read from the database's own catalog, so the migrations
 * stay their only source: a table is pulled when migration 0002's `stamp_server_version` trigger
 * stamps its rows (the audit log has none: it is the server's journal and never leaves it), its
 * scope rule is that trigger's argument, its key the primary key, and its place in the list comes
 * after every table its foreign keys name (a terminal upserting in this order never meets a row
 * whose parent it has not got).
 */

/** How a table's rows find their scope, in the trigger's words. */
export const scopeRules = ['self', 'event_id', 'order', 'pack', 'none'] as const;
export type ScopeRule = (typeof scopeRules)[number];

export interface PulledTable {
  name: string;
  scope: ScopeRule;
  /** The primary key's columns, in the key's order. */
  key: readonly string[];
  /** Every column, in the table's order (a snapshot page names the ones it sends). */
  columns: readonly string[];
}

/** Rows of a table named at run time: column names to values, as the driver returns them. */
export type Row = Record<string, unknown>;
export type UntypedDatabase = Kysely<Record<string, Row>>;

const derived = new WeakMap<ServerDatabase, Promise<readonly PulledTable[]>>();

/** The pulled tables, parents first; read once per store (the schema is migrated before it opens). */
export function pulledTables(db: ServerDatabase): Promise<readonly PulledTable[]> {
  let tables = derived.get(db);
  if (!tables) {
    tables = tablesFromCatalog(db);
    derived.set(db, tables);
    tables.catch(() => derived.delete(db));
  }
  return tables;
}

async function tablesFromCatalog(db: ServerDatabase): Promise<readonly PulledTable[]> {
  const stamped = await sql<{ table: string; rule: string }>`
    SELECT c.relname AS table, split_part(encode(t.tgargs, 'escape'), '\\000', 1) AS rule
    FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE p.proname = 'stamp_server_version' AND NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace`.execute(db);
  const keys = await sql<{ table: string; column: string }>`
    SELECT c.relname AS table, a.attname AS column
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
    WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace
    ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)`.execute(db);
  const columns = await sql<{ table: string; column: string }>`
    SELECT c.relname AS table, a.attname AS column
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relnamespace = current_schema()::regnamespace
    ORDER BY c.relname, a.attnum`.execute(db);
  const references = await sql<{ child: string; parent: string }>`
    SELECT child.relname AS child, parent.relname AS parent
    FROM pg_constraint f
    JOIN pg_class child ON child.oid = f.conrelid
    JOIN pg_class parent ON parent.oid = f.confrelid
    WHERE f.contype = 'f' AND child.relnamespace = current_schema()::regnamespace`.execute(db);

  const tables = new Map<string, PulledTable>();
  for (const { table, rule } of stamped.rows) {
    if (!isScopeRule(rule)) throw new Error(`${table}'s server_version trigger names scope rule '${rule}', which this server does not know`);
    const key = keys.rows.filter((column) => column.table === table).map((column) => column.column);
    if (key.length === 0) throw new Error(`${table} is synced but has no primary key: a snapshot pages it by its key`);
    tables.set(table, { name: table, scope: rule, key, columns: columns.rows.filter((column) => column.table === table).map((column) => column.column) });
  }
  const parents = new Map<string, Set<string>>([...tables.keys()].map((table) => [table, new Set<string>()]));
  for (const { child, parent } of references.rows) {
    if (child !== parent && tables.has(child) && tables.has(parent)) parents.get(child)!.add(parent);
  }
  return parentsFirst(parents).map((name) => tables.get(name)!);
}

const isScopeRule = (rule: string): rule is ScopeRule => (scopeRules as readonly string[]).includes(rule);

/** Tables ordered so each comes after the tables it references; ties by name, so the order is stable. */
function parentsFirst(parents: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (placed.size < parents.size) {
    const ready = [...parents].filter(([table, of]) => !placed.has(table) && [...of].every((parent) => placed.has(parent))).map(([table]) => table);
    if (ready.length === 0) throw new Error(`The synced tables reference each other in a circle: ${[...parents.keys()].filter((table) => !placed.has(table)).join(', ')}`);
    for (const table of ready.sort()) {
      ordered.push(table);
      placed.add(table);
    }
  }
  return ordered;
}

/**
 * The condition that keeps a table's rows of one scope, as the trigger decides a row's scope; null
 * when the table has no rows in that scope (customers in an event's, events in '').
 */
export function inScope(table: PulledTable, scope: string): Expression<SqlBool> | null {
  const column = (name: string) => sql.ref(`${table.name}.${name}`);
  switch (table.scope) {
    case 'self':
      return scope === '' ? null : sql<SqlBool>`${column('id')} = ${scope}`;
    case 'event_id':
      return isScope(column('event_id'), scope);
    case 'order':
      return sql<SqlBool>`${column('order_id')} IN (SELECT id FROM orders WHERE ${isScope(sql.ref('orders.event_id'), scope)})`;
    case 'pack':
      return sql<SqlBool>`${column('pack_item_id')} IN (SELECT id FROM catalog_items WHERE ${isScope(sql.ref('catalog_items.event_id'), scope)})`;
    case 'none':
      return scope === '' ? sql<SqlBool>`true` : null;
  }
}

// The trigger files a row without an event under '' (coalesce); spelled IS NULL so the index serves it.
function isScope(eventId: Expression<unknown>, scope: string): Expression<SqlBool> {
  return scope === '' ? sql<SqlBool>`${eventId} IS NULL` : sql<SqlBool>`${eventId} = ${scope}`;
}

/** The store with its tables named at run time (the pulled tables come from the catalog). */
export function untyped(db: ServerDatabase): UntypedDatabase {
  return db as unknown as UntypedDatabase;
}
