import { sql, type Store } from '../../db/store.ts';
import type { EventSummary } from './events.contract.ts';

/** The events this data folder holds, earliest first, with their ticket types (for pickers and filters). */
export function listEvents(store: Store): EventSummary[] {
  const typesByEvent = new Map<string, { id: string; name: string }[]>();
  const types = store.all(
    sql.selectFrom('ticket_types').select(['id', 'event_id', 'name']).where('deleted_at', 'is', null).orderBy('name').orderBy('id'),
  );
  for (const type of types) {
    const list = typesByEvent.get(type.event_id) ?? [];
    list.push({ id: type.id, name: type.name });
    typesByEvent.set(type.event_id, list);
  }
  return store
    .all(
      sql
        .selectFrom('events')
        .select(['id', 'name', 'starts_at', 'ends_at', 'time_zone', 'currency'])
        .orderBy('starts_at')
        .orderBy('name')
        .orderBy('id'),
    )
    .map((event) => ({
      id: event.id,
      name: event.name,
      startsAt: event.starts_at,
      endsAt: event.ends_at,
      timeZone: event.time_zone,
      currency: event.currency,
      ticketTypes: typesByEvent.get(event.id) ?? [],
    }));
}
