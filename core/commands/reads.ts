import type { Store } from '../../db/store.ts';
import type { Body, CommandTx, Query, Step } from './tx.ts';

/**
 * The read steps of the transaction interface (tx.ts). A read helper written over them (units sold
 * of a catalog item, what an import's rows refer to) serves a command body, which hands it its
 * `tx`, and a terminal read path or dry run, which runs it on the store with `readOnStore`: one
 * query for both, so what a dialog shows is what the command decides on.
 */
export type Reads = Pick<CommandTx, 'first' | 'all'>;

/** Read steps without an envelope: what `readOnStore` hands a read helper. */
export const readSteps: Reads = {
  *first<O>(query: Query<O>) {
    return (yield { kind: 'first', query }) as O | undefined;
  },
  *all<O>(query: Query<O>) {
    return (yield { kind: 'all', query }) as O[];
  },
};

/**
 * Runs a read helper synchronously on this terminal's store (outside any command: a read path, a
 * dry run). It answers reads only: a helper that writes is a programming error.
 */
export function readOnStore<R>(store: Store, read: (reads: Reads) => Body<R>): R {
  const body = read(readSteps);
  let next = body.next();
  while (!next.done) {
    const step = next.value;
    next = answered(body, () => {
      if (step.kind !== 'first' && step.kind !== 'all') throw new Error(`readOnStore answers reads only, not a ${step.kind} step`);
      return answerRead(store, step);
    });
  }
  return next.value;
}

/**
 * A body's next step once its step is answered: what `answer` gives, or what it throws thrown into
 * the body (whose catch and finally blocks run). For the drivers outside the hot path of a command's run.
 */
export function answered<R>(body: Body<R>, answer: () => unknown): IteratorResult<Step, R> {
  let result: unknown;
  try {
    result = answer();
  } catch (error) {
    return body.throw(error);
  }
  return body.next(result);
}

/**
 * Answers a read step on the store outside a command's run (readOnStore, a decision without writes
 * in sqlite-driver.ts): the row or rows its query selects (`all`: every row). A query that writes
 * (RETURNING) is refused.
 */
export function answerRead(store: Store, step: Extract<Step, { query: unknown }>): unknown {
  const { sql, parameters } = store.compile(step.query);
  const statement = store.statement(sql);
  if (!statement.readonly) throw new Error(`A read step that writes: ${sql}`);
  return step.kind === 'first' ? statement.get(...parameters) : statement.all(...parameters);
}
