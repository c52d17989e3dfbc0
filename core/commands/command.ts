import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { OutboxTable } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import type { Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import { existingDeviceId, setDeviceSeq, stampEnvelope } from '../terminal/state.ts';
import { parseInput } from '../validation.ts';
import type { CoreEvent } from '../api/pubsub.ts';
import type { DeviceManager } from '../devices/device-manager.ts';
import type { TerminalSync } from '../sync/terminal-sync.ts';
import type { Role } from '../operators/roles.ts';
import { commandKey, derivedId, type Envelope } from './envelope.ts';
import { capturingBeforeImages } from './before-images.ts';
import { terminalProjections } from './projections.ts';
import { decideBodyOnSqlite, needsItsWrites, runBodyOnSqlite, type SqliteRun } from './sqlite-driver.ts';
import { commandTx, type AuditEntry, type Body, type CommandTx } from './tx.ts';

export type { AuditEntry };

/** What every command and query runs against: the store, the time, and who is signed in. */
export interface CoreContext {
  store: Store;
  clock: Clock;
  /** The operator signed in at this terminal, if any (recorded in the envelope and the audit log). */
  operator: string | null;
  /**
   * Publishes an event to the core's subscribers (core/api/pubsub.ts): a job's progress, a verdict
   * or undo once its transaction committed, a reader's event or status, the station's check-in mode.
   * An event about a change is published after its transaction committed: a rollback cannot take it back.
   */
  emit(event: CoreEvent): void;
  /** The host's readers, when this process has them (core/devices). */
  devices?: DeviceManager;
  /** The host's sync with the central server, when this process runs it (core/sync). */
  sync?: TerminalSync;
  /**
   * Told of every command this core ran, once its transaction committed or rolled back: the
   * envelope (with what the body settled) and the outcome. Tests replay them on PostgreSQL
   * (test/fixtures/postgres-mirror.ts).
   */
  observeCommand?: CommandObserver;
}

export type CommandOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };
export type CommandObserver = (envelope: Envelope, outcome: CommandOutcome) => void;

/** Handed to a local command's `apply` while its transaction is open. Everything but `store` comes from the envelope. */
export interface CommandScope {
  store: Store;
  envelope: Envelope;
  /** `envelope.at`: the command's time (ISO-8601 UTC), used for every timestamp it writes. */
  now: string;
  /** `envelope.id`. */
  commandId: string;
  deviceId: string;
  operator: string | null;
  /** The id of the next row this command creates: derived from the envelope id (envelope.ts `derivedId`). */
  nextId(): string;
  /**
   * Adds what the body decided to the envelope's args (a fact: a scan's verdict and time), so the
   * outbox carries the fact and the server records it instead of deciding again.
   */
  settle(decided: Record<string, unknown>): void;
  audit(entry: AuditEntry): void;
}

export interface Command<S extends z.ZodType, R> {
  /** Stable name, e.g. `tickets.setBanned`; with `version` it names the command (registry, outbox, audit). */
  name: string;
  version: number;
  input: S;
  /**
   * The operator roles that may run the command (DESIGN.md section 6a), as the operations that run
   * it declare them. The server checks it for the operator each pushed envelope names, and caps it
   * by the pushing device's role. Every syncing command declares it.
   */
  roles?: readonly Role[];
  /** Money-moving commands commit with synchronous=FULL (DESIGN.md section 5). */
  durable?: boolean;
  /**
   * Terminal configuration (readers, station lock and PIN, check-in mode, chosen event): validated
   * and audited like any command, but it never enters the outbox and never syncs.
   */
  local?: boolean;
  /**
   * Completes the args with what this terminal resolves (its chosen event, say) before the envelope
   * is built, so the body never reads terminal state and a replay elsewhere decides the same way.
   */
  resolve?(store: Store, input: z.output<S>): z.output<S>;
  /** The event the command belongs to (the envelope's eventId); by default the args' `eventId`. */
  eventOf?(args: z.output<S>): string | null;
  /**
   * A syncing command's body: a generator over the transaction interface (core/commands/tx.ts),
   * run by the terminal's SQLite driver and by the server's PostgreSQL driver alike.
   */
  body?(tx: CommandTx, input: z.output<S>): Body<R>;
  /** A local command's effect, on this terminal's store (it never runs anywhere else). */
  apply?(scope: CommandScope, input: z.output<S>): R;
}

/** Any command, as the registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = Command<z.ZodType, any>;

export function defineCommand<S extends z.ZodType, R>(command: Command<S, R>): Command<S, R> {
  return command;
}

const insertAuditEntry = `INSERT INTO audit_log
  (at, operator, device_id, operation, entity, entity_id, before, after, command_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const totalChanges = 'SELECT total_changes() AS changes';

/** The event a run of the command belongs to: what its envelope's `eventId` must say. */
export function eventIdOf<S extends z.ZodType>(command: Command<S, unknown>, args: z.output<S>): string | null {
  if (command.eventOf) return command.eventOf(args);
  const eventId = (args as { eventId?: unknown } | null)?.eventId;
  return typeof eventId === 'string' ? eventId : null;
}

function changesSoFar(store: Store): number {
  return (store.statement(totalChanges).get() as { changes: number }).changes;
}

function scopeOf(store: Store, envelope: Envelope): CommandScope {
  const operation = commandKey(envelope);
  let ordinal = 0;
  return {
    store,
    envelope,
    now: envelope.at,
    commandId: envelope.id,
    deviceId: envelope.deviceId,
    operator: envelope.operator,
    nextId: () => derivedId(envelope.id, ordinal++),
    settle(decided) {
      envelope.args = { ...(envelope.args as Record<string, unknown>), ...decided };
    },
    audit(entry) {
      // A prepared statement, not a kysely query compiled per entry: bulk commands (an import
      // batch) write thousands of entries per transaction.
      store.statement(insertAuditEntry).run(
        envelope.at,
        envelope.operator,
        envelope.deviceId,
        operation,
        entry.entity,
        entry.entityId,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        envelope.id,
      );
    },
  };
}

/**
 * Runs a command's body (or a local command's effect) on this terminal's store, in the open
 * transaction, and tells whether it changed anything. The body's driver counts its writes; an
 * effect writes through the store itself, so total_changes() before and after tells.
 */
function runOn<S extends z.ZodType, R>(store: Store, command: Command<S, R>, envelope: Envelope, args: z.output<S>): SqliteRun<R> {
  if (command.body) return runBodyOnSqlite(store, command.body(commandTx(envelope), args), terminalProjections);
  if (command.apply) {
    const before = changesSoFar(store);
    const result = command.apply(scopeOf(store, envelope), args);
    return { result, wrote: changesSoFar(store) !== before };
  }
  throw new Error(`${commandKey(command)} has neither a body nor an apply`);
}

/**
 * Runs `work` in one BEGIN IMMEDIATE transaction (a savepoint inside one already open). A command
 * may write, so it takes the write lock before reading: another connection's command (sync, import
 * worker, a second gate process) then waits (busy_timeout) and decides on the committed state,
 * instead of deciding on a stale snapshot and failing with SQLITE_BUSY_SNAPSHOT at its first write.
 *
 * A money-moving command commits with synchronous=FULL. Inside a transaction already open (a journal
 * replay records each envelope in the transaction that applies it) SQLite cannot change the setting:
 * the caller that opened it decides.
 */
function inCommandTransaction<R>(store: Store, durable: boolean | undefined, work: () => R): R {
  if (!durable || store.db.inTransaction) return store.immediateTransaction(work);
  store.db.pragma('synchronous = FULL');
  try {
    return store.immediateTransaction(work);
  } finally {
    store.db.pragma('synchronous = NORMAL');
  }
}

/** A run's envelope (DESIGN.md section 5): a new id, this terminal's stamp, the command and its args, the time and the operator. */
function envelopeOf<S extends z.ZodType>(
  context: CoreContext,
  command: Command<S, unknown>,
  args: z.output<S>,
  now: Date,
  stamp: Pick<Envelope, 'deviceId' | 'seq' | 'hlc'>,
): Envelope {
  return {
    id: newId(),
    deviceId: stamp.deviceId,
    seq: stamp.seq,
    name: command.name,
    version: command.version,
    args,
    hlc: stamp.hlc,
    at: now.toISOString(),
    operator: context.operator,
    eventId: eventIdOf(command, args),
  };
}

/**
 * Runs a command the one way state changes (DESIGN.md section 5): validate the input, then in one
 * SQLite transaction complete the args, build the envelope, run the body on it, and append the
 * envelope to the outbox (the body's audit entries are written as it goes). A run that changed
 * nothing (banning a banned ticket) writes no outbox row and takes no sequence number; a local
 * command never writes one. If anything throws, nothing is written.
 */
export function runCommand<S extends z.ZodType, R>(context: CoreContext, command: Command<S, R>, rawInput: unknown): R {
  const input = parseInput(command.input, rawInput);
  const { store } = context;
  let envelope: Envelope | undefined;
  try {
    const result = inCommandTransaction(store, command.durable, () => {
      const args = command.resolve ? command.resolve(store, input) : input;
      const now = context.clock.now();
      const stamp = stampEnvelope(store, now.getTime());
      envelope = envelopeOf(context, command, args, now, { ...stamp, seq: command.local ? null : stamp.seq });
      const seq = envelope.seq;
      // A syncing command keeps the before-images of what it writes until the server's rows hold
      // its effects: a pull's rebase undoes it with them and runs it again on top.
      const { result, wrote } = seq === null ? runOn(store, command, envelope, args) : capturingBeforeImages(store, seq, () => runOn(store, command, envelope!, args));
      if (seq !== null && wrote) appendToOutbox(store, envelope, seq);
      return result;
    });
    if (envelope) context.observeCommand?.(envelope, { ok: true, value: result });
    return result;
  } catch (error) {
    if (envelope) context.observeCommand?.(envelope, { ok: false, error });
    throw error;
  }
}

/**
 * What a command would answer now, decided in a read transaction on the committed state without
 * writing anything: no write turn, no lock, so a sync transaction under way on another connection
 * does not hold it up. With the answer come the args its body settled, with which the same command
 * is recorded a moment later as a fact (core/checkin/answered-scans.ts). Undefined when it cannot be
 * decided so: its body reads after a write (sqlite-driver.ts, decideBodyOnSqlite), it has no body,
 * or this terminal has no device id yet; then it must be run (runCommand).
 */
export function decideCommand<S extends z.ZodType, R>(context: CoreContext, command: Command<S, R>, rawInput: unknown): { result: R; args: z.output<S> } | undefined {
  const { body } = command;
  if (!body) return undefined;
  const input = parseInput(command.input, rawInput);
  const { store } = context;
  return store.transaction(() => {
    const device = existingDeviceId(store);
    if (device === null) return undefined;
    const args = command.resolve ? command.resolve(store, input) : input;
    // No seq nor HLC: they are stamped when it is recorded, and nothing is written now.
    const envelope = envelopeOf(context, command, args, context.clock.now(), { deviceId: device, seq: null, hlc: '' });
    const result = decideBodyOnSqlite(store, body(commandTx(envelope), args));
    return result === needsItsWrites ? undefined : { result, args: envelope.args as z.output<S> };
  });
}

const insertOutboxRow = `INSERT INTO outbox (id, seq, device_id, name, version, args, hlc, at, operator, event_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function appendToOutbox(store: Store, envelope: Envelope, seq: number): void {
  setDeviceSeq(store, seq);
  // Prepared once, like the audit entry: every scan appends one.
  store
    .statement(insertOutboxRow)
    .run(envelope.id, seq, envelope.deviceId, envelope.name, envelope.version, JSON.stringify(envelope.args), envelope.hlc, envelope.at, envelope.operator, envelope.eventId);
}

/**
 * Runs the body of an envelope written elsewhere (a journal replay, and later the server and a
 * rebase) in one transaction: the args are validated again, the rows get the envelope's ids and
 * time, the audit names its operator and device. It writes no outbox row: the envelope is not this
 * terminal's to send.
 */
export function applyEnvelope<S extends z.ZodType, R>(store: Store, command: Command<S, R>, envelope: Envelope): R {
  const args = parseInput(command.input, envelope.args);
  return inCommandTransaction(store, command.durable, () => runOn(store, command, { ...envelope, args }, args).result);
}

/**
 * Runs a pending command of this terminal again (a pull's rebase, sync/terminal/rebase.ts) from its
 * outbox envelope, in a savepoint of the open transaction, capturing new before-images under its
 * seq. It writes no outbox row: the command is there already. The envelope is not changed: what
 * the body settles again is what the outbox carries.
 */
export function rerunEnvelope<S extends z.ZodType, R>(store: Store, command: Command<S, R>, envelope: Envelope & { seq: number }): R {
  const args = parseInput(command.input, envelope.args);
  return store.immediateTransaction(() => capturingBeforeImages(store, envelope.seq, () => runOn(store, command, { ...envelope, args }, args).result));
}

/** The envelope an outbox row stores. */
export function envelopeOfOutboxRow(row: Omit<Selectable<OutboxTable>, 'status' | 'rejection'>): Envelope {
  return {
    id: row.id,
    deviceId: row.device_id,
    seq: row.seq,
    name: row.name,
    version: row.version,
    args: JSON.parse(row.args) as unknown,
    hlc: row.hlc,
    at: row.at,
    operator: row.operator,
    eventId: row.event_id,
  };
}
