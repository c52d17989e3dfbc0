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

/** What a body did: its result, and whether a step changed a row (the runner appends to the outbox only then). */
export interface SqliteRun<R> {
  result: R;
  wrote: boolean;
}

/**
 * Runs one step. `run.wrote` is set when the step changed a row: a write that changed some, a
 * projection (it follows a change of its source), or a read of rows a write returned (RETURNING
 * gives one row per changed row). Counted here, not with two reads of total_changes() around the
 * body, which were two more statements on every scan.
 */
function runStep(store: Store, step: Step, projections: ProjectionRefreshers, run: { wrote: boolean }): unknown {
  if (step.kind === 'project') {
    projections[step.projection](store, step.id);
    run.wrote = true;
    return undefined;
  }
  const { sql, parameters } = store.compile(step.query);
  const statement = store.statement(sql);
  switch (step.kind) {
    case 'first': {
      const row: unknown = statement.get(...parameters);
      if (!statement.readonly && row !== undefined) run.wrote = true;
      return row;
    }
    case 'all': {
      const rows = statement.all(...parameters);
      if (!statement.readonly && rows.length > 0) run.wrote = true;
      return rows;
    }
    case 'run': {
      const { changes } = statement.run(...parameters);
      if (changes > 0) run.wrote = true;
      return { changes };
    }
  }
}

export function runBodyOnSqlite<R>(store: Store, body: Body<R>, projections: ProjectionRefreshers): SqliteRun<R> {
  const run = { wrote: false };
  let next = body.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = runStep(store, next.value, projections, run);
    } catch (error) {
      next = body.throw(error);
      continue;
    }
    next = body.next(result);
  }
  return { result: next.value, wrote: run.wrote };
}
