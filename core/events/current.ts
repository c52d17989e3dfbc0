import { preparedQuery, sql, type Store } from '../../db/store.ts';
import { invalid, notFound } from '../errors.ts';
import type { EventTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import { chosenEventId } from '../terminal/state.ts';

export type EventRow = Selectable<EventTable>;

/** Prepared once: every card, and every command that names no event, resolves one. */
const eventById = preparedQuery((eventId: string) => sql.selectFrom('events').selectAll().where('id', '=', eventId));
const firstTwoEvents = preparedQuery(() => sql.selectFrom('events').selectAll().orderBy('starts_at').limit(2));

/**
 * The event an operation works on: the one asked for, else the terminal's chosen event, else the
 * only event in the store. Several events and no choice is a VALIDATION error naming `eventId`.
 */
export function resolveEvent(store: Store, eventId?: string | null): EventRow {
  if (eventId) {
    const event = eventById.first(store, eventId);
    if (!event) throw notFound('That event is not on this terminal', 'eventId');
    return event;
  }
  const chosen = chosenEventId(store);
  if (chosen) {
    const event = eventById.first(store, chosen);
    if (event) return event;
  }
  const events = firstTwoEvents.all(store);
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
