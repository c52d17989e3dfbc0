import type { Store } from '../../db/store.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import { resolveEvent, type EventRow } from '../events/current.ts';
import { eventById } from './credentials.ts';

/**
 * Terminal-side: the event a scan at this terminal belongs to, resolved before the scan's envelope
 * exists (the command's `resolve`), with templates run on the store, so a scan resolving its event
 * costs two index probes at most. The body then works on the event id its args carry.
 */

const chosenEventId = queryTemplate((key: string) => query.selectFrom('terminal_state').select('value').where('key', '=', key));
const firstTwoEvents = queryTemplate((limit: number) => query.selectFrom('events').selectAll().orderBy('starts_at').limit(limit));

/** resolveEvent on the scan's templates; its errors (none, several, unknown) come from resolveEvent itself. */
export function scanningEvent(store: Store, eventId: string | null | undefined): EventRow {
  if (eventId) return store.first(eventById.with(eventId)) ?? resolveEvent(store, eventId);
  const chosen = store.first(chosenEventId.with('event_id'));
  const event = chosen ? store.first(eventById.with(chosen.value)) : undefined;
  if (event) return event;
  const events = store.all(firstTwoEvents.with(2));
  return events.length === 1 ? events[0]! : resolveEvent(store, null);
}
