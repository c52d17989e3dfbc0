import type { Compilable, InferResult } from 'kysely';
import { compileForSqlite, query, queryTemplate, type BoundQuery, type Builder, type TemplateValue } from '../core/commands/query-builder.ts';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './connection.ts';
import { storeBusy, type Writer, type WriteTurns } from './write-turns.ts';

/**
 * Kysely builds and types our SQL (core/commands/query-builder.ts); better-sqlite3 runs it
 * synchronously. Keeping execution synchronous lets a whole command (rule check, writes, audit,
 * outbox) sit inside one `db.transaction()` with no awaits in between, and keeps scan and search
 * paths free of promise overhead. Compiled statements are cached by their SQL text so each query is
 * prepared once.
 */
export { query as sql };

type Row<Q> = Q extends Compilable<infer O> ? O : never;

/**
 * Writes this connection owes from before its next one: answers given before they were written
 * (scans answered first, core/checkin/answered-scans.ts). The store records them first, in a
 * transaction of their own, whenever it next writes: later writes come after them, and a later
 * command that fails cannot roll them back.
 */
export interface OwedWrites {
  /** Whether any are owed. */
  readonly owed: boolean;
  /** Writes them, inside the transaction the store opened for them. */
  record(): void;
  /** Told once that transaction committed. */
  committed(): void;
}

export class Store {
  readonly db: SqliteDatabase;
  private readonly statements = new Map<string, Statement<unknown[]>>();
  private readonly immediate: (work: () => unknown) => unknown;
  private readonly deferred: (work: () => unknown) => unknown;
  /** The write turn this connection shares with the process's others, and which writer it is (db/write-turns.ts). */
  private turns: WriteTurns | null = null;
  private writer: Writer = 'foreground';
  private owedWrites: OwedWrites | null = null;

  constructor(db: SqliteDatabase) {
    this.db = db;
    const transaction = db.transaction((work: () => unknown) => work());
    this.immediate = transaction.immediate;
    this.deferred = transaction.deferred;
  }

  /**
   * From now on every write transaction (immediateTransaction) takes the turn first: the main
   * thread's store as the foreground writer, a worker's as a background one. A store without turns
   * (the CLI, one connection) leaves the ordering to SQLite's busy handler.
   */
  shareWriteTurns(turns: WriteTurns, writer: Writer): void {
    this.turns = turns;
    this.writer = writer;
    if (writer === 'background') turns.joinedByBackground();
  }

  /** What this connection records before its next write (one source: the scans it answered, owedWrites). */
  oweWrites(owed: OwedWrites): void {
    this.owedWrites = owed;
  }

  /** Takes the write turn and records the writes owed, if any. */
  recordOwedWrites(): void {
    this.immediateTransaction(noWrite);
  }

  /** The write turn this store takes, if it was given one. */
  get writeTurns(): WriteTurns | null {
    return this.turns;
  }

  /** Prepares (once) and returns the statement for this SQL text. */
  statement(text: string): Statement<unknown[]> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  all<Q extends Compilable<unknown>>(query: Q): Row<Q>[];
  all<O>(query: BoundQuery<O>): O[];
  all(query: Compilable<unknown> | BoundQuery<unknown>): unknown[] {
    const { sql, parameters } = this.compile(query);
    return this.statement(sql).all(...parameters);
  }

  first<Q extends Compilable<unknown>>(query: Q): Row<Q> | undefined;
  first<O>(query: BoundQuery<O>): O | undefined;
  first(query: Compilable<unknown> | BoundQuery<unknown>): unknown {
    const { sql, parameters } = this.compile(query);
    return this.statement(sql).get(...parameters);
  }

  run(query: Compilable<unknown> | BoundQuery<unknown>): { changes: number } {
    const { sql, parameters } = this.compile(query);
    return { changes: this.statement(sql).run(...parameters).changes };
  }

  /** SQLite's text and parameters for a builder, or for a template (core/commands/query-builder.ts) compiled once. */
  compile(query: Compilable<unknown> | BoundQuery<unknown>): { sql: string; parameters: readonly unknown[] } {
    if ('template' in query) {
      const template = query.template.compiledFor('sqlite', compileForSqlite);
      return { sql: template.sql, parameters: template.parameters(query.args) };
    }
    return query.compile();
  }

  /**
   * Runs fn in one BEGIN IMMEDIATE transaction (nested calls become savepoints), through one
   * transaction function made when the store opened: better-sqlite3 builds four wrapper functions
   * for every `db.transaction(fn)`, which cost each command ~5 µs (a scan through runCommand takes
   * ~0.13 ms at p50).
   *
   * With write turns, the outermost call takes the turn before BEGIN and gives it back after
   * COMMIT or ROLLBACK; a nested call (a savepoint) runs inside the turn already held. Writes owed
   * (oweWrites) are recorded first, in a transaction of their own under the same turn.
   */
  immediateTransaction<T>(fn: () => T): T {
    const turns = this.turns;
    if (this.db.inTransaction) return this.immediate(fn) as T;
    if (turns === null) {
      this.recordOwed();
      return this.immediate(fn) as T;
    }
    const held = turns.take(this.writer);
    try {
      this.recordOwed();
      return this.immediate(fn) as T;
    } catch (error) {
      if (!held && error instanceof Error && (error as Error & { code?: unknown }).code === 'SQLITE_BUSY') {
        throw storeBusy(this.writer, turns, this.db.pragma('busy_timeout', { simple: true }) as number, error);
      }
      throw error;
    } finally {
      if (held) turns.give();
    }
  }

  private recordOwed(): void {
    const owed = this.owedWrites;
    if (!owed?.owed) return;
    this.immediate(owed.record);
    owed.committed();
  }

  /**
   * Runs fn in one SQLite transaction, BEGIN DEFERRED (nested calls become savepoints): its reads
   * see one state, and it takes the write lock only at its first write. Made once, like
   * immediateTransaction's: a scan answered first decides in one (core/checkin/answered-scans.ts).
   */
  transaction<T>(fn: () => T): T {
    return this.deferred(fn) as T;
  }

  close(): void {
    this.statements.clear();
    if (this.writer === 'background' && this.turns !== null && this.db.open) this.turns.leftByBackground();
    this.db.close();
  }
}

const noWrite = () => undefined;

/**
 * A query compiled once and kept as a prepared statement, for the terminal's hot read paths (a
 * search keystroke, a scan's lookups): a query template (core/commands/query-builder.ts) run on a store.
 */
export function preparedQuery<A extends readonly TemplateValue[], O>(
  build: (...args: A) => Builder<O>,
): {
  all(store: Store, ...args: A): O[];
  first(store: Store, ...args: A): O | undefined;
  /** The same query as a step a command body yields (core/commands/tx.ts). */
  with(...args: A): BoundQuery<O>;
} {
  const template = queryTemplate(build);
  const prepared = (store: Store, args: A) => {
    const compiled = template.compiledFor('sqlite', compileForSqlite);
    return { statement: store.statement(compiled.sql), parameters: compiled.parameters(args) };
  };
  return {
    all: (store, ...args) => {
      const { statement, parameters } = prepared(store, args);
      return statement.all(...parameters) as O[];
    },
    first: (store, ...args) => {
      const { statement, parameters } = prepared(store, args);
      return statement.get(...parameters) as O | undefined;
    },
    with: (...args) => template.with(...args),
  };
}

export type { InferResult };
