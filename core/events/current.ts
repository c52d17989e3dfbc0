import type { Store } from '../../db/store.ts';
import { query } from '../commands/query-builder.ts';
import { invalid, notFound } from '../errors.ts';
import type { EventTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import { chosenEventId } from '../terminal/state.ts';

export type EventRow = Selectable<EventTable>;

/**
 * The event an operation works on: the one asked for, else the terminal's chosen event, else the
 * only event in the store. Several events and no choice is a VALIDATION error naming `eventId`.
 */
export function resolveEvent(store: Store, eventId?: string | null): EventRow {
  if (eventId) {
    const event = store.first(query.selectFrom('events').selectAll().where('id', '=', eventId));
    if (!event) throw notFound('That event is not on this terminal', 'eventId');
    return event;
  }
  const chosen = chosenEventId(store);
  if (chosen) {
    const event = store.first(query.selectFrom('events').selectAll().where('id', '=', chosen));
    if (event) return event;
  }
  const events = store.all(query.selectFrom('events').selectAll().orderBy('starts_at').limit(2));
  if (events.length === 1) return events[0]!;
  if (events.length === 0) throw notFound('There is no event in this data folder yet', 'eventId');
  throw invalid('This data folder holds several events: choose one with eventId', 'eventId');
}

export function findEvent(store: Store, eventId?: string | null): EventRow | undefined {
  try {
    return resolveEvent(store, eventId);
  } catch {
    return undefined;
  }
}

/**
 * A command's `resolve` step (core/commands/command.ts): the args with the event this terminal
 * resolved (asked for, chosen, or the only one), so the envelope carries it and the body never
 * reads the terminal's choice.
 */
export function withResolvedEvent<T extends { eventId?: string | null | undefined }>(store: Store, input: T): T & { eventId: string } {
  return { ...input, eventId: resolveEvent(store, input.eventId).id };
}
