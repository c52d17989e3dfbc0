import { sql, type Store } from '../../db/store.ts';
import { defineCommand } from '../commands/command.ts';
import { conflict } from '../errors.ts';
import { namedId } from '../commands/envelope.ts';
import { resolveEvent, withResolvedEvent } from '../events/current.ts';
import { gatesCreateInput } from './checkin.contract.ts';

/** The event's gates (access points), by name. */
export function listGates(store: Store, eventId: string | null | undefined) {
  const event = resolveEvent(store, eventId);
  return {
    gates: store.all(
      sql.selectFrom('gates').select(['id', 'name', 'zone']).where('event_id', '=', event.id).where('deleted_at', 'is', null).orderBy('name'),
    ),
  };
}

/**
 * Adds a gate to the event; a gate name is unique within its event (ticket types name gates by id).
 * Its id follows from the event and the name, so two terminals adding "North" offline add one gate.
 */
export const createGate = defineCommand({
  name: 'gates.create',
  version: 1,
  input: gatesCreateInput,
  resolve: withResolvedEvent,
  apply(scope, input) {
    const event = resolveEvent(scope.store, input.eventId);
    const existing = scope.store.first(
      sql
        .selectFrom('gates')
        .select('id')
        .where('event_id', '=', event.id)
        .where((eb) => eb.or([eb('name', '=', input.name), eb('id', '=', namedId('gate', event.id, input.name))])),
    );
    if (existing) throw conflict(`${event.name} already has a gate named ${input.name}`, 'name');
    const gate = { id: namedId('gate', event.id, input.name), name: input.name, zone: input.zone ?? null };
    scope.store.run(
      sql.insertInto('gates').values({
        ...gate,
        event_id: event.id,
        created_at: scope.now,
        updated_at: scope.now,
        server_version: null,
        deleted_at: null,
      }),
    );
    scope.audit({ entity: 'gate', entityId: gate.id, after: { name: gate.name, zone: gate.zone, eventId: event.id } });
    return gate;
  },
});
