import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import { query, queryTemplate, type QueryTemplate } from '../commands/query-builder.ts';
import type { Body, CommandTx } from '../commands/tx.ts';

/** The row type of a template's query. */
type RowOf<T> = T extends QueryTemplate<never, infer O> ? O : never;

/**
 * The reads and writes of the scan hot path (DESIGN.md section 4: a scan is index lookups only),
 * each a query template built once and compiled once per dialect: a command body yields them
 * (`yield* tx.first(template.with(...))`) and the terminal's read paths run the same templates on
 * the store (`store.first(template.with(...))`). Nothing here reads terminal state: the event a
 * scan belongs to is resolved before the envelope exists (scanning-event.ts).
 */

export const eventById = queryTemplate((id: string) => query.selectFrom('events').selectAll().where('id', '=', id));

/** A gate by id, removed or not: a fact names the gate it was made at even if the gate was removed since. */
export const gateById = queryTemplate((id: string) => query.selectFrom('gates').select(['id', 'event_id', 'name', 'deleted_at']).where('id', '=', id));

/** The gate's name, for messages ("entered at Main entrance"). */
export function* gateName(tx: CommandTx, gateId: string | null) {
  if (gateId === null) return null;
  const gate = yield* tx.first(gateById.with(gateId));
  return gate && gate.deleted_at === null ? gate.name : null;
}

const typeColumns = [
  'ticket_types.name as type_name',
  'ticket_types.valid_from',
  'ticket_types.valid_until',
  'ticket_types.max_entries',
  'ticket_types.reentry_allowed',
  'ticket_types.gate_ids',
  'customers.id as customer_id',
  'customers.first_name',
  'customers.last_name',
  'customers.email',
] as const;

const scannedTicketColumns = [
  'tickets.id',
  'tickets.reference',
  'tickets.status',
  'tickets.invalid_reason',
  'tickets.redeemed',
  'tickets.banned',
  'tickets.first_scan_at',
  'tickets.last_scan_at',
  'tickets.last_scan_gate_id',
  'tickets.entry_count',
  'tickets.inside_since',
  'tickets.inside_gate_id',
  ...typeColumns,
] as const;

/** A ticket with what a scan decides and answers by (its type's rules, its customer). */
export const scannedTicketQuery = () =>
  query
    .selectFrom('tickets')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .leftJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(scannedTicketColumns);

const ticketByExactReference = queryTemplate((eventId: string, reference: string) =>
  scannedTicketQuery().where('tickets.event_id', '=', eventId).where('tickets.reference', '=', reference),
);

/**
 * `lower(tickets.reference) = lower(?)`, served by the tickets_event_reference_folded index on both
 * stores. SQLite's lower() folds ASCII only while PostgreSQL's folds by its locale (PGlite's
 * C.UTF-8 folds "É" too), so the rows it finds are narrowed in JavaScript to those that differ
 * only in ASCII case (`sameIgnoringAsciiCase`): what SQLite finds, on either store.
 */
const referenceIgnoringCase = (reference: string) => (eb: ExpressionBuilder<DB, 'tickets'>) =>
  eb(eb.fn<string>('lower', ['tickets.reference']), '=', eb.fn<string>('lower', [eb.val(reference)]));

/** `lower(tickets.reference) in (lower(?), …)`: referenceIgnoringCase for several codes, on the same index. */
export const referenceIgnoringCaseIn = (references: readonly string[]) => (eb: ExpressionBuilder<DB, 'tickets'>) =>
  eb(
    eb.fn<string>('lower', ['tickets.reference']),
    'in',
    references.map((reference) => eb.fn<string>('lower', [eb.val(reference)])),
  );

const asciiLower = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

/** Whether two codes differ only in ASCII upper/lower case (SQLite's lower(), the fold the terminal's index makes). */
export const sameIgnoringAsciiCase = (a: string, b: string) => asciiLower(a) === asciiLower(b);

/**
 * Every ticket of the event whose reference equals the code in another case: references are unique
 * per event, so these are a handful at most; no LIMIT, so the ASCII narrowing above sees them all.
 * Unordered: only how many match counts. Every tag scan runs it (after the exact probe missed).
 */
const ticketsByReferenceIgnoringCase = queryTemplate((eventId: string, reference: string) =>
  scannedTicketQuery().where('tickets.event_id', '=', eventId).where(referenceIgnoringCase(reference)),
);

/** The one ticket among the case-insensitive matches; none when two share the code in different cases. */
export function onlyMatch<Row extends { reference: string }>(rows: Row[], reference: string): Row | undefined {
  const matches = rows.filter((row) => sameIgnoringAsciiCase(row.reference, reference));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The scanned ticket: the code exactly (one probe of tickets_event_reference, the hot path), else
 * the one ticket whose reference differs only in case (one probe of tickets_event_reference_folded).
 * A code two tickets share in different cases is not admitted: the gate treats it as unknown rather
 * than guess.
 */
export function* scannedTicket(tx: CommandTx, eventId: string, reference: string) {
  const exact = yield* tx.first(ticketByExactReference.with(eventId, reference));
  if (exact) return exact;
  return onlyMatch(yield* tx.all(ticketsByReferenceIgnoringCase.with(eventId, reference)), reference);
}
export type ScannedTicket = RowOf<typeof ticketByExactReference>;

/** The same lookup on the terminal's store, outside a command (tests, read paths). */
export const ticketByReference = {
  first(store: Store, eventId: string, reference: string) {
    return store.first(ticketByExactReference.with(eventId, reference)) ?? onlyMatch(store.all(ticketsByReferenceIgnoringCase.with(eventId, reference)), reference);
  },
};

/** A wristband with what a scan decides and answers by. */
export const scannedTagQuery = () =>
  query
    .selectFrom('tags')
    .innerJoin('ticket_types', 'ticket_types.id', 'tags.ticket_type_id')
    .leftJoin('customers', 'customers.id', 'tags.customer_id')
    .select([
      'tags.id',
      'tags.uid',
      'tags.active',
      'tags.banned',
      'tags.inactive_reason',
      'tags.entry_count',
      'tags.inside_since',
      'tags.inside_gate_id',
      ...typeColumns,
    ]);

export const tagByUid = queryTemplate((eventId: string, uid: string) => scannedTagQuery().where('tags.event_id', '=', eventId).where('tags.uid', '=', uid));
export type ScannedTag = RowOf<typeof tagByUid>;

const ticketInAnyEventQuery = () =>
  query
    .selectFrom('tickets')
    .innerJoin('events', 'events.id', 'tickets.event_id')
    .select(['tickets.id', 'tickets.reference', 'events.name as event_name'])
    // Probes tickets_event_reference (or its folded twin) once per event: there is no index on
    // reference alone. In event order, then by id: one answer on every store when several events
    // hold the code.
    .where('tickets.event_id', 'in', query.selectFrom('events').select('events.id'))
    .orderBy('tickets.event_id')
    .orderBy('tickets.id');

const ticketInAnyEventExactly = queryTemplate((reference: string) => ticketInAnyEventQuery().where('tickets.reference', '=', reference).limit(1));
const ticketsInAnyEventIgnoringCase = queryTemplate((reference: string) => ticketInAnyEventQuery().where(referenceIgnoringCase(reference)));

const tagInAnyEvent = queryTemplate((uid: string) =>
  query
    .selectFrom('tags')
    .innerJoin('events', 'events.id', 'tags.event_id')
    .select(['tags.id', 'events.name as event_name'])
    .where('tags.uid', '=', uid)
    .orderBy('tags.event_id')
    .limit(1),
);

/** The ticket or wristband of another event a code names, and that event's name. */
export type CredentialElsewhere = { ticketId: string; tagId: null; eventName: string } | { ticketId: null; tagId: string; eventName: string };

/** A code of another event (only read when the scanning event has no such ticket or tag). */
export function* credentialElsewhere(tx: CommandTx, code: string, uid: string | undefined): Body<CredentialElsewhere | undefined> {
  const ticket =
    (yield* tx.first(ticketInAnyEventExactly.with(code))) ??
    (yield* tx.all(ticketsInAnyEventIgnoringCase.with(code))).find((row) => sameIgnoringAsciiCase(row.reference, code));
  if (ticket) return { ticketId: ticket.id, tagId: null, eventName: ticket.event_name };
  const tag = uid === undefined ? undefined : yield* tx.first(tagInAnyEvent.with(uid));
  return tag ? { ticketId: null, tagId: tag.id, eventName: tag.event_name } : undefined;
}

const firstTicketAdmission = queryTemplate((ticketId: string, verdict: 'admitted', direction: 'entry') =>
  query
    .selectFrom('scans')
    .leftJoin('gates', 'gates.id', 'scans.gate_id')
    .select(['scans.scanned_at', 'gates.name as gate'])
    .where('scans.ticket_id', '=', ticketId)
    .where('scans.tag_id', 'is', null)
    .where('scans.verdict', '=', verdict)
    .where('scans.direction', '=', direction)
    .where('scans.undone_at', 'is', null)
    .orderBy('scans.scanned_at')
    .orderBy('scans.id')
    .limit(1),
);

const firstTagAdmission = queryTemplate((tagId: string, verdict: 'admitted', direction: 'entry') =>
  query
    .selectFrom('scans')
    .leftJoin('gates', 'gates.id', 'scans.gate_id')
    .select(['scans.scanned_at', 'gates.name as gate'])
    .where('scans.tag_id', '=', tagId)
    .where('scans.verdict', '=', verdict)
    .where('scans.direction', '=', direction)
    .where('scans.undone_at', 'is', null)
    .orderBy('scans.scanned_at')
    .orderBy('scans.id')
    .limit(1),
);

/** The credential's first admitted entry (through the scans_ticket / scans_tag index). */
export function* firstAdmission(tx: CommandTx, kind: 'ticket' | 'tag', id: string) {
  const row = yield* tx.first((kind === 'ticket' ? firstTicketAdmission : firstTagAdmission).with(id, 'admitted', 'entry'));
  return row ? { at: row.scanned_at, gate: row.gate } : null;
}

const latestAdmissionOf = (kind: 'ticket' | 'tag') =>
  queryTemplate((id: string, verdict: 'admitted') =>
    query
      .selectFrom('scans')
      .select(['id', 'scanned_at as at'])
      .where(kind === 'ticket' ? 'ticket_id' : 'tag_id', '=', id)
      // A ticket's own scans: once exchanged, its wristband's scans count for the wristband.
      .$if(kind === 'ticket', (builder) => builder.where('tag_id', 'is', null))
      .where('verdict', '=', verdict)
      .where('undone_at', 'is', null)
      .orderBy('scanned_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1),
  );
const latestAdmissions = { ticket: latestAdmissionOf('ticket'), tag: latestAdmissionOf('tag') };

/** The credential's latest admitted scan, by time then id (presence.ts merges a new admission against it). */
export function* latestAdmission(tx: CommandTx, kind: 'ticket' | 'tag', id: string) {
  return (yield* tx.first(latestAdmissions[kind].with(id, 'admitted'))) ?? null;
}

const admittedScansOf = (kind: 'ticket' | 'tag') =>
  queryTemplate((id: string, verdict: 'admitted') =>
    query
      .selectFrom('scans')
      .select(['id', 'direction', 'scanned_at as at', 'gate_id as gateId', 'double_admission'])
      .where(kind === 'ticket' ? 'ticket_id' : 'tag_id', '=', id)
      .$if(kind === 'ticket', (builder) => builder.where('tag_id', 'is', null))
      .where('verdict', '=', verdict)
      .where('undone_at', 'is', null)
      .orderBy('scanned_at')
      .orderBy('id'),
  );
const admittedScansByKind = { ticket: admittedScansOf('ticket'), tag: admittedScansOf('tag') };

/** The credential's admitted, not undone scans in scan order, with their double-admission flags (double-admission.ts). */
export function* admittedScans(tx: CommandTx, kind: 'ticket' | 'tag', id: string) {
  return yield* tx.all(admittedScansByKind[kind].with(id, 'admitted'));
}

export const updateTicketScan = queryTemplate(
  (
    entryCount: number,
    insideSince: string | null,
    insideGateId: string | null,
    firstScanAt: string | null,
    lastScanAt: string | null,
    lastScanGateId: string | null,
    id: string,
  ) =>
    query
      .updateTable('tickets')
      .set({
        entry_count: entryCount,
        inside_since: insideSince,
        inside_gate_id: insideGateId,
        first_scan_at: firstScanAt,
        last_scan_at: lastScanAt,
        last_scan_gate_id: lastScanGateId,
      })
      .where('id', '=', id),
);

export const updateTagPresence = queryTemplate((entryCount: number, insideSince: string | null, insideGateId: string | null, id: string) =>
  query.updateTable('tags').set({ entry_count: entryCount, inside_since: insideSince, inside_gate_id: insideGateId }).where('id', '=', id),
);
