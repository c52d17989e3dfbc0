import type { Conflict } from '../commands/conflict.ts';
import { derivedId } from '../commands/envelope.ts';
import { query } from '../commands/query-builder.ts';
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

/**
 * Reports what a conflict rule did (DESIGN.md section 6): the receipt says `applied_with_conflict`
 * with it (tx.conflict), and an alert row, synced to every terminal by pull, tells staff.
 */
export function* raiseConflict(tx: CommandTx, eventId: string | null, conflict: Conflict & { entity: string; entityId: string }) {
  const id = alertId(tx.commandId, tx.conflicts.length);
  tx.conflict(conflict);
  yield* tx.run(
    query.insertInto('alerts').values({
      id,
      event_id: eventId,
      kind: conflict.kind,
      message: conflict.message,
      entity: conflict.entity,
      entity_id: conflict.entityId,
      device_id: tx.deviceId,
      created_at: tx.now,
      acknowledged_at: null,
      server_version: null,
    }),
  );
}
