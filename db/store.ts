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

export type { InferResult };
