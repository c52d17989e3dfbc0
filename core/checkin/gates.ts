import type { Store } from '../../db/store.ts';
import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { conflict, notFound } from '../errors.ts';
import { namedId } from '../commands/envelope.ts';
import { resolveEvent, withResolvedEvent } from '../events/current.ts';
import { gatesCreateInput } from '../gates/gates.contract.ts';
import { rolesFrom } from '../operators/roles.ts';

/** The event's gates (access points), by name. */
export function listGates(store: Store, eventId: string | null | undefined) {
  const event = resolveEvent(store, eventId);
  return {
    gates: store.all(
      query.selectFrom('gates').select(['id', 'name', 'zone']).where('event_id', '=', event.id).where('deleted_at', 'is', null).orderBy('name'),
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
  roles: rolesFrom('admin'),
  input: gatesCreateInput,
  resolve: withResolvedEvent,
  *body(tx, input) {
    // The event this terminal resolved (withResolvedEvent), as the args carry it.
    const event = input.eventId ? yield* tx.first(query.selectFrom('events').select(['id', 'name']).where('id', '=', input.eventId)) : undefined;
    if (!event) throw notFound('That event is not on this terminal', 'eventId');
    const existing = yield* tx.first(
      query
        .selectFrom('gates')
        .select('id')
        .where('event_id', '=', event.id)
        .where((eb) => eb.or([eb('name', '=', input.name), eb('id', '=', namedId('gate', event.id, input.name))])),
    );
    if (existing) throw conflict(`${event.name} already has a gate named ${input.name}`, 'name');
    const gate = { id: namedId('gate', event.id, input.name), name: input.name, zone: input.zone ?? null };
    yield* tx.run(
      query.insertInto('gates').values({
        ...gate,
        event_id: event.id,
        created_at: tx.now,
        updated_at: tx.now,
        server_version: null,
        deleted_at: null,
      }),
    );
    yield* tx.audit({ entity: 'gate', entityId: gate.id, after: { name: gate.name, zone: gate.zone, eventId: event.id } });
    return gate;
  },
});
