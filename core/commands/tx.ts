import type { Conflict } from './conflict.ts';
import type { Envelope } from './envelope.ts';
import { derivedId, commandKey } from './envelope.ts';
import { query, queryTemplate, type Builder, type BoundQuery } from './query-builder.ts';

/**
 * One body, two drivers (DESIGN.md section 5). A command body is a generator that yields steps and
 * receives their results: `const ticket = yield* tx.first(query)`. The terminal's driver
 * (sqlite-driver.ts) runs each step synchronously on better-sqlite3; the server's (async-driver.ts)
 * compiles the same operation node for PostgreSQL and awaits it. A body therefore holds no SQL text,
 * no SQLite-only function and no Node API, and takes its time, ids and operator from the envelope.
 */

/** A query a body hands its driver: a kysely builder, or a template with this call's values. */
export type Query<O> = Builder<O> | BoundQuery<O>;

/**
 * Terminal-only projections a body asks to refresh after it changed their source (the FTS search
 * index): the terminal's driver refreshes them in the same transaction; the server has none.
 */
export type Projection = 'customer-search';

export type Step =
  | { readonly kind: 'first' | 'all' | 'run'; readonly query: Query<unknown> }
  | { readonly kind: 'project'; readonly projection: Projection; readonly id: string };

/** What a body is: a generator of steps returning the command's result. */
export type Body<R> = Generator<Step, R, unknown>;

export interface AuditEntry {
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Handed to a command's body: the envelope's facts and the steps it may take. */
export interface CommandTx {
  readonly envelope: Envelope;
  /** `envelope.at`: the command's time (ISO-8601 UTC), used for every timestamp it writes. */
  readonly now: string;
  /** `envelope.id`. */
  readonly commandId: string;
  readonly deviceId: string;
  readonly operator: string | null;
  /** The id of the next row this command creates: derived from the envelope id (envelope.ts `derivedId`). */
  nextId(): string;
  /**
   * Adds what the body decided to the envelope's args (a fact: a scan's verdict and time), so the
   * outbox carries the fact and the server records it instead of deciding again.
   */
  settle(decided: Record<string, unknown>): void;
  /**
   * Reports what a conflict rule did (a replaced tag, a double admission): the command still
   * applies, and the server's receipt says `applied_with_conflict` with it. Not a step: both
   * drivers read `conflicts` after the body ran.
   */
  conflict(conflict: Conflict): void;
  /** What the body reported with `conflict()`, in order. */
  readonly conflicts: readonly Conflict[];
  first<O>(query: Query<O>): Body<O | undefined>;
  all<O>(query: Query<O>): Body<O[]>;
  run(query: Query<unknown>): Body<{ changes: number }>;
  audit(entry: AuditEntry): Body<void>;
  project(projection: Projection, id: string): Body<void>;
}

// A template, not a builder compiled per entry: an import batch writes thousands of entries per transaction.
const insertAuditEntry = queryTemplate(
  (at: string, operator: string | null, deviceId: string, operation: string, entity: string, entityId: string, before: string | null, after: string | null, commandId: string) =>
    query.insertInto('audit_log').values({
      at,
      operator,
      device_id: deviceId,
      operation,
      entity,
      entity_id: entityId,
      before,
      after,
      command_id: commandId,
    }),
);

const noConflicts: readonly Conflict[] = Object.freeze([]);

/**
 * The transaction interface over one envelope; the driver answers its steps. A class, its methods
 * on the prototype, shared by every transaction, and no closure over the envelope: generator
 * methods written in an object literal per command (new generator functions each time, each with
 * its own prototype and map) and closures capturing the envelope kept the young garbage of every
 * command alive through scavenges (~5% of what a scan allocates promoted, scavenges of 15-70 ms
 * instead of 1-5 ms, the command 20-40% slower in bench/checkin.bench.ts's driver figures).
 */
class Transaction implements CommandTx {
  readonly envelope: Envelope;
  readonly now: string;
  readonly commandId: string;
  readonly deviceId: string;
  readonly operator: string | null;
  // `name@version` for the audit log, made on the first audit entry: a scan audits nothing.
  #operation: string | undefined;
  #ordinal = 0;
  // Made on the first conflict only: a scan allocates nothing for it.
  #conflicts: Conflict[] | undefined;

  constructor(envelope: Envelope) {
    this.envelope = envelope;
    this.now = envelope.at;
    this.commandId = envelope.id;
    this.deviceId = envelope.deviceId;
    this.operator = envelope.operator;
  }

  /** A bound function: a body may hand it on (`rows.map(tx.nextId)`). */
  readonly nextId = (): string => derivedId(this.envelope.id, this.#ordinal++);

  settle(decided: Record<string, unknown>): void {
    this.envelope.args = { ...(this.envelope.args as Record<string, unknown>), ...decided };
  }

  conflict(conflict: Conflict): void {
    (this.#conflicts ??= []).push(conflict);
  }

  get conflicts(): readonly Conflict[] {
    return this.#conflicts ?? noConflicts;
  }

  *first<O>(query: Query<O>): Body<O | undefined> {
    return (yield { kind: 'first', query }) as O | undefined;
  }

  *all<O>(query: Query<O>): Body<O[]> {
    return (yield { kind: 'all', query }) as O[];
  }

  *run(query: Query<unknown>): Body<{ changes: number }> {
    return (yield { kind: 'run', query }) as { changes: number };
  }

  *audit(entry: AuditEntry): Body<void> {
    const { envelope } = this;
    yield {
      kind: 'run',
      query: insertAuditEntry.with(
        envelope.at,
        envelope.operator,
        envelope.deviceId,
        (this.#operation ??= commandKey(envelope)),
        entry.entity,
        entry.entityId,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        envelope.id,
      ),
    };
  }

  *project(projection: Projection, id: string): Body<void> {
    yield { kind: 'project', projection, id };
  }
}

/** The transaction interface over one envelope; the driver answers its steps. */
export function commandTx(envelope: Envelope): CommandTx {
  return new Transaction(envelope);
}
