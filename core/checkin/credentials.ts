import { preparedQuery, sql, type Store } from '../../db/store.ts';
import { invalid, notFound } from '../errors.ts';
import { resolveEvent, type EventRow } from '../events/current.ts';

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
  if (!gate) throw notFound(`No gate with id ${gateId}`, 'gateId');
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

export const ticketByReference = preparedQuery((eventId: string, reference: string) =>
  sql
    .selectFrom('tickets')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .leftJoin('customers', 'customers.id', 'tickets.customer_id')
    .select([
      'tickets.id',
      'tickets.reference',
      'tickets.status',
      'tickets.invalid_reason',
      'tickets.redeemed',
      'tickets.banned',
      'tickets.first_scan_at',
      'tickets.entry_count',
      'tickets.inside_since',
      'tickets.inside_gate_id',
      ...typeColumns,
    ])
    .where('tickets.event_id', '=', eventId)
    .where('tickets.reference', '=', reference),
);
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

const ticketInAnyEvent = preparedQuery((reference: string) =>
  sql
    .selectFrom('tickets')
    .innerJoin('events', 'events.id', 'tickets.event_id')
    .select(['tickets.id', 'events.name as event_name'])
    // Probes tickets_event_reference once per event (there is no index on reference alone).
    .where('tickets.event_id', 'in', sql.selectFrom('events').select('events.id'))
    .where('tickets.reference', '=', reference)
    .limit(1),
);

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
  const ticket = ticketInAnyEvent.first(store, code);
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
