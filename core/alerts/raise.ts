import type { Conflict } from '../commands/conflict.ts';
import { derivedId } from '../commands/envelope.ts';
import { listQueryTemplate, query, rowsOf } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';

/**
 * The id of the `index`-th alert a command raises, counted down from the last ordinal. Not
 * `tx.nextId()`: a rule may fire on one store and not on another (the server sees a concurrent
 * activation the terminal's optimistic run did not), and an id taken from the shared sequence would
 * shift the ids of every row the body creates after it, so the stores would disagree on them.
 */
function alertId(commandId: string, index: number): string {
  return derivedId(commandId, 0xffff_ffff - index);
}

/** What a conflict rule reports: the conflict, and the row its alert names. */
export type RaisedConflict = Conflict & { entity: string; entityId: string };

/** An alert's values, in the column order of insertAlerts. */
export type AlertValues = readonly [id: string, eventId: string | null, kind: string, message: string, entity: string, entityId: string, deviceId: string, createdAt: string];

const alertWidth = 8;

/** The alerts, one row each, in one INSERT: a batch of scan facts raises its double admissions at once. */
const insertAlerts = listQueryTemplate((values: readonly (string | null)[]) =>
  query.insertInto('alerts').values(
    rowsOf(values, alertWidth).map(([id, eventId, kind, message, entity, entityId, deviceId, createdAt]) => ({
      id: id!,
      event_id: eventId!,
      kind: kind!,
      message: message!,
      entity: entity!,
      entity_id: entityId!,
      device_id: deviceId!,
      created_at: createdAt!,
      acknowledged_at: null,
      acknowledged_by: null,
      acknowledged_hlc: null,
      server_version: null,
    })),
  ),
);

/**
 * Reports what a conflict rule did (DESIGN.md section 6) on the command's receipt (tx.conflict) and
 * gives the values of its alert, for `storeAlerts` to write: a body recording a batch of facts
 * reports each fact's conflicts on its own envelope as it decides them, and writes the alerts together.
 */
export function conflictAlert(tx: CommandTx, eventId: string | null, conflict: RaisedConflict): AlertValues {
  const id = alertId(tx.commandId, tx.conflicts.length);
  tx.conflict(conflict);
  return [id, eventId, conflict.kind, conflict.message, conflict.entity, conflict.entityId, tx.deviceId, tx.now];
}

/** Writes alerts `conflictAlert` gave, in one statement. */
export function* storeAlerts(tx: CommandTx, alerts: readonly AlertValues[]) {
  if (alerts.length > 0) yield* tx.run(insertAlerts.with(alerts.flat()));
}

/**
 * Reports what a conflict rule did (DESIGN.md section 6): the receipt says `applied_with_conflict`
 * with it (tx.conflict), and an alert row, synced to every terminal by pull, tells staff.
 */
export function* raiseConflict(tx: CommandTx, eventId: string | null, conflict: RaisedConflict) {
  yield* storeAlerts(tx, [conflictAlert(tx, eventId, conflict)]);
}
