import type { Store } from '../../db/store.ts';

// The range bounds keep the lookup on the orders_number index (event_id, number); GLOB keeps
// numbers of another shape (imported 'B-12', say) out of the arithmetic.
const highestBoxOfficeNumber = `SELECT max(CAST(substr(number, 2) AS INTEGER)) AS highest
  FROM orders WHERE event_id = ? AND number >= 'B0' AND number < 'B:' AND number GLOB 'B[0-9]*'
  AND substr(number, 2) NOT GLOB '*[^0-9]*'`;

/**
 * The next box-office order number of an event: 'B' and at least six digits, one more than the
 * highest box-office number the event has (online orders are 'W…'). Unique per event.
 */
export function nextBoxOfficeOrderNumber(store: Store, eventId: string): string {
  const row = store.statement(highestBoxOfficeNumber).get(eventId) as { highest: number | null } | undefined;
  const next = Number(row?.highest ?? 0) + 1;
  return `B${String(next).padStart(6, '0')}`;
}
