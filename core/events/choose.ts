import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { notFound } from '../errors.ts';
import { chosenEventId, setChosenEventId } from '../terminal/state.ts';
import { chooseEventInput } from './events.contract.ts';

/**
 * The event this terminal works on when an operation names none (DESIGN.md section 5, "Local
 * commands"): a data folder may hold several events, and a gate or a box office works on one. It is
 * terminal configuration, validated and audited like any command, but it never enters the outbox:
 * commands resolve the event into their args (`resolve`), so the choice itself never needs to sync.
 */
export const chooseEventCommand = defineCommand({
  name: 'events.choose',
  version: 1,
  local: true,
  input: chooseEventInput,
  apply(scope, input) {
    const event = scope.store.first(query.selectFrom('events').select(['id', 'name']).where('id', '=', input.eventId));
    if (!event) throw notFound('That event is not on this terminal', 'eventId');
    const before = chosenEventId(scope.store);
    if (before !== event.id) {
      setChosenEventId(scope.store, event.id);
      scope.audit({ entity: 'station', entityId: scope.deviceId, before: { eventId: before }, after: { eventId: event.id } });
    }
    return { eventId: event.id, name: event.name };
  },
});
