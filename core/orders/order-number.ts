import type { Store } from '../../db/store.ts';
import { terminalShortCode } from '../terminal/state.ts';

// The range bounds keep the lookup on the orders_number index (event_id, number): every number of
// this terminal starts with '<code>-' and sorts before '<code>.'. GLOB keeps numbers of another
// shape out of the arithmetic. Terminal-side only (createOrder's `resolve`), never in a body.
const highestNumberOfTerminal = `SELECT max(CAST(substr(number, ?) AS INTEGER)) AS highest
  FROM orders WHERE event_id = ? AND number >= ? AND number < ?
  AND substr(number, ?) GLOB '[0-9]*' AND substr(number, ?) NOT GLOB '*[^0-9]*'`;

/**
 * The next box-office order number this terminal issues for an event (DESIGN.md section 5, "Keys
 * people read"): its short code, a dash and at least six digits, one more than the highest number
 * it issued for the event (`B7-000123`). Two box offices selling offline never issue the same one,
 * because their short codes differ; online orders are 'W…'.
 */
export function nextBoxOfficeOrderNumber(store: Store, eventId: string): string {
  const prefix = `${terminalShortCode(store)}-`;
  const from = prefix.length + 1;
  const row = store.statement(highestNumberOfTerminal).get(from, eventId, prefix, `${prefix.slice(0, -1)}.`, from, from) as
    | { highest: number | null }
    | undefined;
  return `${prefix}${String(Number(row?.highest ?? 0) + 1).padStart(6, '0')}`;
}
