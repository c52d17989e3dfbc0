import { sql, type Store } from '../../db/store.ts';
import type { EventSummary } from '../customers/queries.contract.ts';

/** The events this data folder holds, earliest first (for event pickers and filters). */
export function listEvents(store: Store): EventSummary[] {
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
    }));
}
