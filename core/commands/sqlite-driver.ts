import type { Store } from '../../db/store.ts';
import type { Body, Projection, Step } from './tx.ts';

/**
 * The terminal's driver (DESIGN.md section 5): runs a command body synchronously on better-sqlite3,
 * inside the transaction the runner opened. Each step is compiled with SQLite's dialect and run as
 * a statement prepared once per SQL text; a template step skips even the compiling. A step that
 * throws is thrown into the body, so its `finally` blocks run, then out to the runner, which rolls
 * the transaction back.
 */

/** How this terminal refreshes a projection a body asked for (the FTS indexes). */
export type ProjectionRefreshers = Readonly<Record<Projection, (store: Store, id: string) => void>>;

function runStep(store: Store, step: Step, projections: ProjectionRefreshers): unknown {
  if (step.kind === 'project') {
    projections[step.projection](store, step.id);
    return undefined;
  }
  const { sql, parameters } = store.compile(step.query);
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
