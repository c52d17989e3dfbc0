import { sql as raw, type RawBuilder, type Selectable } from 'kysely';
import type { TicketTable } from '../../db/schema.ts';
import { sql, type Store } from '../../db/store.ts';
import { conflict } from '../errors.ts';

export type TicketRow = Selectable<TicketTable>;

/**
 * How every ticket lookup by reference decides (search, card, assign, check-in, wristband
 * activation): the reference as typed first, exactly; else the single ticket whose reference
 * differs from it only in upper/lower case, so `bo-jk4fyo2s9x` typed or scanned from a lower-case
 * barcode still finds `BO-JK4FYO2S9X`. Two tickets that differ only in case are never guessed
 * between. The exact lookup stays first because it is the check-in hot path's one index probe.
 */

/**
 * `lower(tickets.reference) = lower(?)`, served by the tickets_event_reference_folded index
 * (migration 0007). Both sides go through the database's lower() so the fold is the same on each
 * (SQLite's folds ASCII only; JavaScript's toLowerCase folds more and would miss "É" = "É").
 */
export function referenceIgnoringCase(reference: string): RawBuilder<boolean> {
  return raw<boolean>`lower(${raw.ref('tickets.reference')}) = lower(${reference})`;
}

export type ReferenceMatch<Row> =
  | { kind: 'found'; row: Row }
  | { kind: 'ambiguous'; rows: Row[] }
  | { kind: 'none' };

/**
 * The rows of the exact lookup, and only when it finds none, those of the case-insensitive one. For
 * lookups across events (the search box, `card`), where one reference may name a ticket in each.
 */
export function exactElseIgnoringCase<Row>(exact: () => Row[], ignoringCase: () => Row[]): Row[] {
  const rows = exact();
  return rows.length > 0 ? rows : ignoringCase();
}

/** The one ticket of an event: the exact lookup, else the case-insensitive one, which may find two. */
export function matchReference<Row>(exact: () => Row | undefined, ignoringCase: () => Row[]): ReferenceMatch<Row> {
  const rows = exactElseIgnoringCase(() => {
    const row = exact();
    return row === undefined ? [] : [row];
  }, ignoringCase);
  if (rows.length === 1) return { kind: 'found', row: rows[0]! };
  return rows.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', rows };
}

/** Why a reference matched several tickets, in words staff can act on. */
export function ambiguousReferenceMessage(reference: string, references: readonly string[]): string {
  return `Ticket ${reference} matches ${references.length} tickets that differ only in upper and lower case (${references.join(', ')}): type it exactly`;
}

/** The matched row, undefined when none, and a CONFLICT naming the candidates when ambiguous. */
export function requireUnambiguous<Row extends { reference: string }>(
  match: ReferenceMatch<Row>,
  reference: string,
  field: string,
): Row | undefined {
  if (match.kind === 'found') return match.row;
  if (match.kind === 'none') return undefined;
  throw conflict(ambiguousReferenceMessage(reference, match.rows.map((row) => row.reference)), field);
}

const ticketInEventQuery = (eventId: string) => sql.selectFrom('tickets').selectAll().where('event_id', '=', eventId);

/** The ticket a reference names in one event (exact, else the single case-insensitive match). */
export function findTicketInEvent(store: Store, eventId: string, reference: string): ReferenceMatch<TicketRow> {
  return matchReference(
    () => store.first(ticketInEventQuery(eventId).where('reference', '=', reference)),
    () => store.all(ticketInEventQuery(eventId).where(referenceIgnoringCase(reference)).limit(2)),
  );
}
