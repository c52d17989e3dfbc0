import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
  type InferResult,
} from 'kysely';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './connection.ts';
import type { DB } from './schema.ts';

/**
 * Kysely builds and types our SQL; better-sqlite3 runs it synchronously. Keeping execution
 * synchronous lets a whole command (rule check, writes, audit, outbox) sit inside one
 * `db.transaction()` with no awaits in between, and keeps scan and search paths free of promise
 * overhead. Compiled statements are cached by their SQL text so each query is prepared once.
 */
export const sql = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

type Row<Q> = Q extends Compilable<infer O> ? O : never;

export class Store {
  readonly db: SqliteDatabase;
  private readonly statements = new Map<string, Statement<unknown[]>>();

  constructor(db: SqliteDatabase) {
    this.db = db;
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

  all<Q extends Compilable<unknown>>(query: Q): Row<Q>[] {
    const compiled = query.compile();
    return this.statement(compiled.sql).all(...(compiled.parameters as unknown[])) as Row<Q>[];
  }

  first<Q extends Compilable<unknown>>(query: Q): Row<Q> | undefined {
    const compiled = query.compile();
    return this.statement(compiled.sql).get(...(compiled.parameters as unknown[])) as Row<Q> | undefined;
  }

  run(query: Compilable<unknown>): { changes: number } {
    const compiled = query.compile();
    const info = this.statement(compiled.sql).run(...(compiled.parameters as unknown[]));
    return { changes: info.changes };
  }

  /** Runs fn in one SQLite transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}

/**
 * A kysely query compiled once and kept as a prepared statement, for hot paths (a search
 * keystroke, a scan) where building and compiling the query on every call would cost more than
 * running it. `build` is called once with marker values instead of the real arguments, so it
 * must only place its arguments as values (no branching on them); each call then binds the real
 * arguments where the markers were.
 */
export function preparedQuery<A extends readonly (string | number | null)[], Q extends Compilable<unknown>>(
  build: (...args: A) => Q,
): {
  all(store: Store, ...args: A): Row<Q>[];
  first(store: Store, ...args: A): Row<Q> | undefined;
} {
  let compiled: { sql: string; bind: (args: A) => unknown[] } | undefined;
  const compile = (arity: number) => {
    if (compiled) return compiled;
    const markers = Array.from({ length: arity }, (_, index) => `\u0000arg${index}\u0000`);
    const query = build(...(markers as unknown as A)).compile();
    const slots = query.parameters.map((parameter) => {
      const index = typeof parameter === 'string' ? markers.indexOf(parameter) : -1;
      return index >= 0 ? { arg: index, constant: undefined } : { arg: undefined, constant: parameter };
    });
    if (markers.some((_, index) => !slots.some((slot) => slot.arg === index))) {
      throw new Error('preparedQuery: every argument must be placed in the query as a value');
    }
    compiled = {
      sql: query.sql,
      bind: (args) => slots.map((slot) => (slot.arg !== undefined ? args[slot.arg] : slot.constant)),
    };
    return compiled;
  };
  return {
    all: (store, ...args) => {
      const query = compile(args.length);
      return store.statement(query.sql).all(...query.bind(args)) as Row<Q>[];
    },
    first: (store, ...args) => {
      const query = compile(args.length);
      return store.statement(query.sql).get(...query.bind(args)) as Row<Q> | undefined;
    },
  };
}

export type { InferResult };
