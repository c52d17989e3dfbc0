import type { Store } from '../../db/store.ts';
import { answered, answerRead } from './reads.ts';
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

/** Why a body could not be decided without writing (decideBodyOnSqlite). */
export const needsItsWrites = Symbol('needs its writes');

/**
 * Runs a body's reads on the committed state and skips its writes: what it would answer now,
 * for a command whose answer is settled before its first write (a scan decides, then records).
 * A body that reads after a write would answer from what the skipped writes left out: then nothing
 * is decided (`needsItsWrites`) and the caller runs the command for real. A skipped write answers
 * `{ changes: 1 }`.
 */
export function decideBodyOnSqlite<R>(store: Store, body: Body<R>): R | typeof needsItsWrites {
  let skippedWrite = false;
  let next = body.next();
  while (!next.done) {
    const step = next.value;
    if (step.kind === 'run' || step.kind === 'project') {
      skippedWrite = true;
      next = body.next(step.kind === 'run' ? { changes: 1 } : undefined);
      continue;
    }
    if (skippedWrite) return abandoned(body);
    next = answered(body, () => answerRead(store, step));
  }
  return next.value;
}

/** Ends a body decideBodyOnSqlite stops midway, so its `finally` blocks run. */
function abandoned(body: Body<unknown>): typeof needsItsWrites {
  body.return(undefined);
  return needsItsWrites;
}
