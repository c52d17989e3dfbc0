import { CompiledQuery, createQueryId, type QueryExecutor, type QueryResult } from 'kysely';
import { isBoundQuery } from './query-builder.ts';
import type { z } from 'zod';
import { parseInput } from '../validation.ts';
import type { Command } from './command.ts';
import type { Conflict } from './conflict.ts';
import { commandKey, type Envelope } from './envelope.ts';
import { commandTx, type Body, type Query, type Step } from './tx.ts';

/**
 * The server's driver (DESIGN.md section 5): runs the same command body as the terminal, on
 * PostgreSQL or PGlite, inside the transaction its caller opened (the server's push holds the
 * event's lock). Each step's operation node is compiled with PostgreSQL's dialect and awaited.
 * Projections are the terminal's: the server has none, so a projection step does nothing here.
 */

/**
 * What the driver needs of a Kysely (or of its transaction) on PostgreSQL: to compile and to run.
 * Structural, so the server's Kysely with its own tables besides the synced ones is one.
 */
export interface PostgresSession {
  getExecutor(): QueryExecutor;
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

type Database = PostgresSession;

function compiled(db: Database, query: Query<unknown>): CompiledQuery {
  const executor = db.getExecutor();
  if (isBoundQuery(query)) {
    const template = query.template.compiledFor('postgres', (node) => executor.compileQuery(node, createQueryId()));
    return CompiledQuery.raw(template.sql, template.parameters(query.args));
  }
  return executor.compileQuery(query.toOperationNode(), createQueryId());
}

async function runStep(db: Database, step: Step): Promise<unknown> {
  if (step.kind === 'project') return undefined;
  const result = await db.executeQuery(compiled(db, step.query));
  switch (step.kind) {
    case 'first':
      return result.rows[0];
    case 'all':
      return result.rows;
    case 'run':
      return { changes: Number(result.numAffectedRows ?? 0n) };
  }
}

export async function runBodyOnPostgres<R>(db: Database, body: Body<R>): Promise<R> {
  let next = body.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await runStep(db, next.value);
    } catch (error) {
      next = body.throw(error);
      continue;
    }
    next = body.next(result);
  }
  return next.value;
}

/**
 * Runs an envelope written elsewhere (a terminal's push, a journal replay) on PostgreSQL, in the
 * transaction `db` is: the args are validated again and the body writes the envelope's ids and time.
 * A local command has no body: it never leaves its terminal.
 */
export async function applyEnvelopeOnPostgres<S extends z.ZodType, R>(db: Database, command: Command<S, R>, envelope: Envelope): Promise<R> {
  return (await runEnvelopeOnPostgres(db, command, envelope)).result;
}

/** What the server's run of an envelope gives: the body's result and what its conflict rules did. */
export interface PostgresRun<R> {
  result: R;
  conflicts: readonly Conflict[];
}

/** Like applyEnvelopeOnPostgres, with the conflicts the body reported (the server's receipt names them). */
export async function runEnvelopeOnPostgres<S extends z.ZodType, R>(db: Database, command: Command<S, R>, envelope: Envelope): Promise<PostgresRun<R>> {
  if (!command.body) throw new Error(`${commandKey(command)} is local to a terminal: it has no body to run elsewhere`);
  const args = parseInput(command.input, envelope.args);
  const tx = commandTx({ ...envelope, args });
  const result = await runBodyOnPostgres(db, command.body(tx, args));
  return { result, conflicts: tx.conflicts };
}
