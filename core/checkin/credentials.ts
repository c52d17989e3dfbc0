import { preparedQuery, sql, type Store } from '../../db/store.ts';
import { invalid, notFound } from '../errors.ts';
import { resolveEvent, type EventRow } from '../events/current.ts';
import { matchReference, referenceIgnoringCase } from '../tickets/reference.ts';

/**
 * The reads of the scan hot path, each one prepared statement compiled once (DESIGN.md section 4:
 * a scan is index lookups only): the event, the gate, the credential with its type and customer.
 */

const eventById = preparedQuery((id: string) => sql.selectFrom('events').selectAll().where('id', '=', id));
const chosenEventId = preparedQuery((key: string) => sql.selectFrom('terminal_state').select('value').where('key', '=', key));
const firstTwoEvents = preparedQuery((limit: number) => sql.selectFrom('events').selectAll().orderBy('starts_at').limit(limit));

/** resolveEvent with prepared statements; its errors (none, several, unknown) come from resolveEvent itself. */
export function scanningEvent(store: Store, eventId: string | null | undefined): EventRow {
  if (eventId) return eventById.first(store, eventId) ?? resolveEvent(store, eventId);
  const chosen = chosenEventId.first(store, 'event_id');
  const event = chosen ? eventById.first(store, chosen.value) : undefined;
  if (event) return event;
  const events = firstTwoEvents.all(store, 2);
  return events.length === 1 ? events[0]! : resolveEvent(store, null);
}

const gateById = preparedQuery((id: string) =>
  sql.selectFrom('gates').select(['id', 'event_id', 'name']).where('id', '=', id).where('deleted_at', 'is', null),
);

export function gateName(store: Store, gateId: string | null): string | null {
  return gateId === null ? null : (gateById.first(store, gateId)?.name ?? null);
}

/** The gate a scan is made at: it must exist and belong to the scanning event. */
export function scanningGate(store: Store, gateId: string | null | undefined, event: EventRow): { id: string; name: string } | null {
  if (!gateId) return null;
  const gate = gateById.first(store, gateId);
  if (!gate) throw notFound('This gate is not on this terminal', 'gateId');
  if (gate.event_id !== event.id) throw invalid(`Gate ${gate.name} belongs to another event than ${event.name}`, 'gateId');
  return { id: gate.id, name: gate.name };
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

const scannedTicketQuery = () =>
  sql
    .selectFrom('tickets')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .leftJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(scannedTicketColumns);

const ticketByExactReference = preparedQuery((eventId: string, reference: string) =>
  scannedTicketQuery().where('tickets.event_id', '=', eventId).where('tickets.reference', '=', reference),
);

/** Two rows are enough to tell one match from an ambiguous code. */
const ticketsByReferenceIgnoringCase = preparedQuery((eventId: string, reference: string, limit: number) =>
  scannedTicketQuery().where('tickets.event_id', '=', eventId).where(referenceIgnoringCase(reference)).limit(limit),
);

/**
 * The scanned ticket: the code exactly (one prepared probe, the hot path), else the one ticket whose
 * reference differs only in case (one probe of tickets_event_reference_folded). A code two tickets
 * share in different cases is not admitted: the gate treats it as unknown rather than guess.
 */
export const ticketByReference = {
  first(store: Store, eventId: string, reference: string) {
    const match = matchReference(
      () => ticketByExactReference.first(store, eventId, reference),
      () => ticketsByReferenceIgnoringCase.all(store, eventId, reference, 2),
    );
    return match.kind === 'found' ? match.row : undefined;
  },
};
export type ScannedTicket = NonNullable<ReturnType<typeof ticketByReference.first>>;

export const tagByUid = preparedQuery((eventId: string, uid: string) =>
  sql
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
    ])
    .where('tags.event_id', '=', eventId)
    .where('tags.uid', '=', uid),
);
export type ScannedTag = NonNullable<ReturnType<typeof tagByUid.first>>;

const ticketInAnyEventQuery = () =>
  sql
    .selectFrom('tickets')
    .innerJoin('events', 'events.id', 'tickets.event_id')
    .select(['tickets.id', 'events.name as event_name'])
    // Probes tickets_event_reference (or its folded twin) once per event: there is no index on
    // reference alone.
    .where('tickets.event_id', 'in', sql.selectFrom('events').select('events.id'))
    .limit(1);

const ticketInAnyEventExactly = preparedQuery((reference: string) => ticketInAnyEventQuery().where('tickets.reference', '=', reference));
const ticketInAnyEventIgnoringCase = preparedQuery((reference: string) => ticketInAnyEventQuery().where(referenceIgnoringCase(reference)));

const tagInAnyEvent = preparedQuery((uid: string) =>
  sql
    .selectFrom('tags')
    .innerJoin('events', 'events.id', 'tags.event_id')
    .select(['tags.id', 'events.name as event_name'])
    .where('tags.uid', '=', uid)
    .limit(1),
);

/** A code of another event (only read when the scanning event has no such ticket or tag). */
export function credentialElsewhere(
  store: Store,
  code: string,
  uid: string | undefined,
): { ticketId: string | null; tagId: string | null; eventName: string } | undefined {
  const ticket = ticketInAnyEventExactly.first(store, code) ?? ticketInAnyEventIgnoringCase.first(store, code);
  if (ticket) return { ticketId: ticket.id, tagId: null, eventName: ticket.event_name };
  const tag = uid === undefined ? undefined : tagInAnyEvent.first(store, uid);
  return tag ? { ticketId: null, tagId: tag.id, eventName: tag.event_name } : undefined;
}

const firstTicketAdmission = preparedQuery((ticketId: string, verdict: 'admitted', direction: 'entry') =>
  sql
    .selectFrom('scans')
    .leftJoin('gates', 'gates.id', 'scans.gate_id')
    .select(['scans.scanned_at', 'gates.name as gate'])
    .where('scans.ticket_id', '=', ticketId)
    .where('scans.tag_id', 'is', null)
    .where('scans.verdict', '=', verdict)
    .where('scans.direction', '=', direction)
    .where('scans.undone_at', 'is', null)
    .orderBy('scans.scanned_at')
    .limit(1),
);

const firstTagAdmission = preparedQuery((tagId: string, verdict: 'admitted', direction: 'entry') =>
  sql
    .selectFrom('scans')
    .leftJoin('gates', 'gates.id', 'scans.gate_id')
    .select(['scans.scanned_at', 'gates.name as gate'])
    .where('scans.tag_id', '=', tagId)
    .where('scans.verdict', '=', verdict)
    .where('scans.direction', '=', direction)
    .where('scans.undone_at', 'is', null)
    .orderBy('scans.scanned_at')
    .limit(1),
);

/** The credential's first admitted entry (through the scans_ticket / scans_tag index). */
export function firstAdmission(store: Store, kind: 'ticket' | 'tag', id: string): { at: string; gate: string | null } | null {
  const row = (kind === 'ticket' ? firstTicketAdmission : firstTagAdmission).first(store, id, 'admitted', 'entry');
  return row ? { at: row.scanned_at, gate: row.gate } : null;
}

const latestAdmissionOf = (kind: 'ticket' | 'tag') =>
  preparedQuery((id: string, verdict: 'admitted') =>
    sql
      .selectFrom('scans')
      .select(['id', 'scanned_at as at'])
      .where(kind === 'ticket' ? 'ticket_id' : 'tag_id', '=', id)
      // A ticket's own scans: once exchanged, its wristband's scans count for the wristband.
      .$if(kind === 'ticket', (query) => query.where('tag_id', 'is', null))
      .where('verdict', '=', verdict)
      .where('undone_at', 'is', null)
      .orderBy('scanned_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1),
  );
const latestAdmissions = { ticket: latestAdmissionOf('ticket'), tag: latestAdmissionOf('tag') };

/** The credential's latest admitted scan, by time then id (presence.ts merges a new admission against it). */
export function latestAdmission(store: Store, kind: 'ticket' | 'tag', id: string): { id: string; at: string } | null {
  return latestAdmissions[kind].first(store, id, 'admitted') ?? null;
}
