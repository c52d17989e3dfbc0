import type { Store } from '../../db/store.ts';
import { compileForSqlite, isBoundQuery } from './query-builder.ts';
import type { Body, Projection, Query, Step } from './tx.ts';

/**
 * The terminal's driver (DESIGN.md section 5): runs a command body synchronously on better-sqlite3,
 * inside the transaction the runner opened. Each step is compiled with SQLite's dialect and run as
 * a statement prepared once per SQL text; a template step skips even the compiling. A step that
 * throws is thrown into the body, so its `finally` blocks run, then out to the runner, which rolls
 * the transaction back.
 */

/** How this terminal refreshes a projection a body asked for (the FTS indexes). */
export type ProjectionRefreshers = Readonly<Record<Projection, (store: Store, id: string) => void>>;

function compiled(query: Query<unknown>): { sql: string; parameters: readonly unknown[] } {
  if (isBoundQuery(query)) {
    const template = query.template.compiledFor('sqlite', compileForSqlite);
    return { sql: template.sql, parameters: template.parameters(query.args) };
  }
  return query.compile();
}

function runStep(store: Store, step: Step, projections: ProjectionRefreshers): unknown {
  if (step.kind === 'project') {
    projections[step.projection](store, step.id);
    return undefined;
  }
  const { sql, parameters } = compiled(step.query);
  const statement = store.statement(sql);
  switch (step.kind) {
    case 'first':
      return statement.get(...parameters);
    case 'all':
      return statement.all(...parameters);
    case 'run':
      return { changes: statement.run(...parameters).changes };
  }
}

export function runBodyOnSqlite<R>(store: Store, body: Body<R>, projections: ProjectionRefreshers): R {
  let next = body.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = runStep(store, next.value, projections);
    } catch (error) {
      next = body.throw(error);
      continue;
    }
    next = body.next(result);
  }
  return next.value;
}
