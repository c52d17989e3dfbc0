import type { z } from 'zod';
import type { Store } from '../../db/store.ts';
import { sql } from '../../db/store.ts';
import { isoNow, type Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import { deviceId, nextDeviceSeq, nextHlc } from '../terminal/state.ts';
import { parseInput } from '../validation.ts';
import type { CoreEvent } from '../api/events.ts';
import type { DeviceManager } from '../devices/device-manager.ts';

/** What every command and query runs against: the store, the time, and who is signed in. */
export interface CoreContext {
  store: Store;
  clock: Clock;
  /** The operator signed in at this terminal, if any (recorded in the audit log). */
  operator: string | null;
  /** Publishes an event to the core's subscribers (progress of long jobs). */
  emit(event: CoreEvent): void;
  /** The host's readers, when this process has them (core/devices). */
  devices?: DeviceManager;
}

export interface AuditEntry {
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Handed to a command while its transaction is open. */
export interface CommandScope {
  store: Store;
  /** The command's time (ISO-8601 UTC), used for every timestamp it writes. */
  now: string;
  commandId: string;
  deviceId: string;
  operator: string | null;
  audit(entry: AuditEntry): void;
}

export interface Command<S extends z.ZodType, R> {
  /** Stable name, e.g. `tickets.setBanned`; with `version` it names the command in the outbox. */
  name: string;
  version: number;
  input: S;
  /** Money-moving commands commit with synchronous=FULL (DESIGN.md section 5). */
  durable?: boolean;
  apply(scope: CommandScope, input: z.output<S>): R;
}

export function defineCommand<S extends z.ZodType, R>(command: Command<S, R>): Command<S, R> {
  return command;
}

const insertAuditEntry = `INSERT INTO audit_log
  (at, operator, device_id, operation, entity, entity_id, before, after, command_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Runs a command the one way state changes (DESIGN.md section 5): validate the input, then in one
 * SQLite transaction apply the domain rule and its writes, write the audit entries and append the
 * command to the outbox. If anything throws, nothing is written.
 */
export function runCommand<S extends z.ZodType, R>(context: CoreContext, command: Command<S, R>, rawInput: unknown): R {
  const input = parseInput(command.input, rawInput);
  const { store } = context;
  if (command.durable) store.db.pragma('synchronous = FULL');
  try {
    // BEGIN IMMEDIATE: a command always writes (at least its outbox row), so it takes the write
    // lock before reading. Another connection's command (sync, import worker, a second gate
    // process) then waits (busy_timeout) and decides on the committed state, instead of deciding
    // on a stale snapshot and failing with SQLITE_BUSY_SNAPSHOT at its first write.
    return store.db.transaction(() => {
      const now = context.clock.now();
      const scope: CommandScope = {
        store,
        now: now.toISOString(),
        commandId: newId(),
        deviceId: deviceId(store),
        operator: context.operator,
        audit(entry) {
          // A prepared statement, not a kysely query compiled per entry: bulk commands (an import
          // batch) write thousands of entries per transaction.
          store.statement(insertAuditEntry).run(
            scope.now,
            scope.operator,
            scope.deviceId,
            `${command.name}@${command.version}`,
            entry.entity,
            entry.entityId,
            entry.before === undefined ? null : JSON.stringify(entry.before),
            entry.after === undefined ? null : JSON.stringify(entry.after),
            scope.commandId,
          );
        },
      };
      const result = command.apply(scope, input);
      store.run(
        sql.insertInto('outbox').values({
          id: scope.commandId,
          seq: nextDeviceSeq(store),
          name: command.name,
          version: command.version,
          args: JSON.stringify(input),
          hlc: nextHlc(store, now.getTime(), scope.deviceId),
          device_time: isoNow(context.clock),
        }),
      );
      return result;
    }).immediate();
  } finally {
    if (command.durable) store.db.pragma('synchronous = NORMAL');
  }
}
