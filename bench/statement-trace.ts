import type { Database, Statement } from 'better-sqlite3';
import type { Store } from '../db/store.ts';

/**
 * The statements a piece of work runs on a store, with their parameters, and the same statements
 * run again without it: the raw baseline of the command driver (issue 9: "the generator driver adds
 * under 10% to the verdict's p50"). Every statement of the runner and of a command body's driver
 * goes through `store.statement(text)` (prepared once per text), so wrapping that method sees them all.
 */

export interface TracedStatement {
  sql: string;
  method: 'get' | 'all' | 'run';
  parameters: unknown[];
}

const traced = new Set(['get', 'all', 'run']);

/** Runs `work`, recording each statement it runs on `store` (SQL text, method, parameters) in order. */
export function recordStatements<T>(store: Store, work: () => T): { result: T; trace: TracedStatement[] } {
  const trace: TracedStatement[] = [];
  const prepare = store.statement.bind(store);
  store.statement = (text: string) => {
    const statement = prepare(text);
    return new Proxy(statement, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof property === 'string' && traced.has(property)) {
          return (...parameters: unknown[]) => {
            trace.push({ sql: text, method: property as TracedStatement['method'], parameters });
            return (value as (...args: unknown[]) => unknown).apply(target, parameters);
          };
        }
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  try {
    return { result: work(), trace };
  } finally {
    // Back to the class's method.
    delete (store as { statement?: unknown }).statement;
  }
}

class RolledBack extends Error {}

/**
 * The trace of `work` on the store as it is now, leaving the store as it was: the work runs in a
 * transaction that is rolled back (a command's own transaction nests as a savepoint), so replaying
 * the trace afterwards does exactly what the work would have done, with the same ids.
 */
export function traceWithoutEffect(store: Store, work: () => unknown): TracedStatement[] {
  let trace: TracedStatement[] = [];
  try {
    store.db.transaction(() => {
      trace = recordStatements(store, work).trace;
      throw new RolledBack();
    })();
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return trace;
}

/**
 * Runs traces back to back in one IMMEDIATE transaction each, on statements prepared once per SQL
 * text: no builder, no compiling, no generator, no driver, no validation.
 */
export function traceReplayer(db: Database) {
  const statements = new Map<string, Statement<unknown[]>>();
  const prepared = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      statement = db.prepare<unknown[]>(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const replay = db.transaction((trace: readonly TracedStatement[]) => {
    for (const step of trace) prepared(step.sql)[step.method](...step.parameters);
  });
  return (trace: readonly TracedStatement[]) => replay.immediate(trace);
}
