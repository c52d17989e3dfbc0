import { expressionBuilder, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { DB, TicketTable } from '../../db/schema.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
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
 * (migration 0007, and the server's twin). Both sides go through the database's lower() so the
 * index serves it; a kysely expression, not SQL text, so it compiles for either store.
 *
 * The fold differs by store: SQLite's lower() folds ASCII only, PostgreSQL's folds by its locale
 * (PGlite's C.UTF-8 folds "É" too). The rows it finds on PostgreSQL are therefore a superset of
 * SQLite's; a command body narrows them with `sameIgnoringAsciiCase` so both stores decide alike.
 */
export function referenceIgnoringCase(reference: string): Expression<SqlBool> {
  const eb = expressionBuilder<DB, 'tickets'>();
  return eb(eb.fn<string>('lower', ['tickets.reference']), '=', eb.fn<string>('lower', [eb.val(reference)]));
}

const asciiLower = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

/** Whether two references differ only in ASCII upper/lower case: the fold SQLite's lower() makes. */
export function sameIgnoringAsciiCase(a: string, b: string): boolean {
  return asciiLower(a) === asciiLower(b);
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
  return matchOf(rows);
}

function matchOf<Row>(rows: Row[]): ReferenceMatch<Row> {
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

// Templates: tickets.assign looks up to 200 references per command.
const ticketByReference = queryTemplate((eventId: string, reference: string) =>
  query.selectFrom('tickets').selectAll().where('event_id', '=', eventId).where('reference', '=', reference),
);

/**
 * Every ticket of the event whose reference folds to the same text: references are unique per event,
 * so these are a handful at most. No LIMIT, so the ASCII narrowing sees them all; by id, so the
 * candidates a CONFLICT names come in the same order on every store.
 */
const ticketsByReferenceIgnoringCase = queryTemplate((eventId: string, reference: string) =>
  query.selectFrom('tickets').selectAll().where('event_id', '=', eventId).where(referenceIgnoringCase(reference)).orderBy('id'),
);

/**
 * The ticket a reference names in one event, in a command body: exact, else the single match that
 * differs only in (ASCII) case, else none; two such matches are ambiguous.
 */
export function* findTicketInEvent(tx: Pick<CommandTx, 'first' | 'all'>, eventId: string, reference: string) {
  const exact: TicketRow | undefined = yield* tx.first(ticketByReference.with(eventId, reference));
  if (exact) return { kind: 'found', row: exact } as ReferenceMatch<TicketRow>;
  const folded: TicketRow[] = yield* tx.all(ticketsByReferenceIgnoringCase.with(eventId, reference));
  return matchOf(folded.filter((row) => sameIgnoringAsciiCase(row.reference, reference)));
}
