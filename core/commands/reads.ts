import type { Store } from '../../db/store.ts';
import type { Body, CommandTx, Query } from './tx.ts';

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
    let result: unknown;
    try {
      if (step.kind !== 'first' && step.kind !== 'all') throw new Error(`readOnStore answers reads only, not a ${step.kind} step`);
      const { sql, parameters } = store.compile(step.query);
      const statement = store.statement(sql);
      result = step.kind === 'first' ? statement.get(...parameters) : statement.all(...parameters);
    } catch (error) {
      next = body.throw(error);
      continue;
    }
    next = body.next(result);
  }
  return next.value;
}
