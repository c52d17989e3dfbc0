import type { Flag } from '../../db/schema.ts';
import { listQueryTemplate, query, rowsOf } from '../commands/query-builder.ts';
import { valuesTable } from '../commands/values-table.ts';
import type { ScanDirection, ScanVerdict } from '../enumerations.ts';
import { referenceIgnoringCaseIn, scannedTagQuery, scannedTicketQuery } from './credentials.ts';

/**
 * The reads and writes of a batch of scan facts (scan-facts.ts), each one statement for the whole
 * batch: what credentials.ts reads and writes for one scan, by lists of ids, codes and rows. Each is
 * a list template (core/commands/query-builder.ts): compiled once per list length, so a fact
 * recorded alone (a replay on the terminal) runs statements prepared once too. Lists are never empty:
 * the caller skips a read or a write with nothing to do.
 */

export const recordedScans = listQueryTemplate((ids: readonly string[]) =>
  query.selectFrom('scans').select(['id', 'event_id', 'gate_id', 'verdict', 'reason', 'scanned_at']).where('id', 'in', ids),
);

export const eventsById = listQueryTemplate((ids: readonly string[]) => query.selectFrom('events').selectAll().where('id', 'in', ids));

/** Gates by id, removed or not: a fact names the gate it was made at even if the gate was removed since. */
export const gatesById = listQueryTemplate((ids: readonly string[]) => query.selectFrom('gates').select(['id', 'event_id', 'name', 'deleted_at']).where('id', 'in', ids));

/**
 * The tickets of these events whose reference is one of the codes in any case, on
 * tickets_event_reference_folded: the exact matches among them (the same codes, as the
 * scan's first probe finds them) and those in another case (narrowed by the caller to ASCII
 * case, credentials.ts), in one statement.
 */
export const ticketsByReferences = listQueryTemplate((eventIds: readonly string[], references: readonly string[]) =>
  scannedTicketQuery().select('tickets.event_id').where('tickets.event_id', 'in', eventIds).where(referenceIgnoringCaseIn(references)),
);

export const tagsByUids = listQueryTemplate((eventIds: readonly string[], uids: readonly string[]) =>
  scannedTagQuery().select('tags.event_id').where('tags.event_id', 'in', eventIds).where('tags.uid', 'in', uids),
);

/**
 * The admitted, not undone scans of these tickets (their own: once exchanged, a wristband's scans
 * count for the wristband) and of these wristbands, in one statement (scans_ticket, scans_tag).
 */
export const admittedScansOf = listQueryTemplate((ticketIds: readonly string[], tagIds: readonly string[]) =>
  query
    .selectFrom('scans')
    .select(['id', 'direction', 'scanned_at as at', 'gate_id as gateId', 'double_admission', 'ticket_id', 'tag_id'])
    .where('verdict', '=', 'admitted')
    .where('undone_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(ticketIds.length > 0 ? [eb.and([eb('ticket_id', 'in', ticketIds), eb('tag_id', 'is', null)])] : []),
        ...(tagIds.length > 0 ? [eb('tag_id', 'in', tagIds)] : []),
      ]),
    ),
);

/** A scan's values, in the column order of insertScans. */
export type ScanValues = [
  id: string,
  eventId: string,
  code: string,
  ticketId: string | null,
  tagId: string | null,
  gateId: string | null,
  direction: ScanDirection,
  verdict: ScanVerdict,
  reason: string,
  deviceId: string,
  operator: string | null,
  scannedAt: string,
  doubleAdmission: Flag,
];
const scanWidth = 13;

export const insertScans = listQueryTemplate((values: readonly (string | number | null)[]) =>
  query.insertInto('scans').values(
    rowsOf(values, scanWidth).map((row) => {
      const [id, eventId, code, ticketId, tagId, gateId, direction, verdict, reason, deviceId, operator, scannedAt, doubleAdmission] = row as ScanValues;
      return {
        id,
        event_id: eventId,
        code,
        ticket_id: ticketId,
        tag_id: tagId,
        gate_id: gateId,
        direction,
        verdict,
        reason,
        device_id: deviceId,
        operator,
        scanned_at: scannedAt,
        double_admission: doubleAdmission,
      };
    }),
  ),
);

export const setDoubleAdmissions = listQueryTemplate((flag: readonly Flag[], ids: readonly string[]) =>
  query.updateTable('scans').set({ double_admission: flag[0]! }).where('id', 'in', ids),
);

const ticketColumns = ['id', 'entry_count', 'inside_since', 'inside_gate_id', 'first_scan_at', 'last_scan_at', 'last_scan_gate_id'] as const;

/** A ticket's values after the batch, in the column order of ticketColumns. */
export type TicketScanValues = [
  id: string,
  entryCount: number,
  insideSince: string | null,
  insideGateId: string | null,
  firstScanAt: string | null,
  lastScanAt: string | null,
  lastScanGateId: string | null,
];

/** Each ticket's presence and last scan, each its own values, in one UPDATE … FROM (VALUES …). */
export const updateTicketScans = listQueryTemplate((values: readonly (string | number | null)[]) => {
  const v = valuesTable('v', ticketColumns, rowsOf(values, ticketColumns.length));
  return query
    .updateTable('tickets')
    .from(v)
    .set((eb) => ({
      entry_count: eb.cast<number>(v.column('entry_count'), 'integer'),
      inside_since: v.column<string | null>('inside_since'),
      inside_gate_id: v.column<string | null>('inside_gate_id'),
      first_scan_at: v.column<string | null>('first_scan_at'),
      last_scan_at: v.column<string | null>('last_scan_at'),
      last_scan_gate_id: v.column<string | null>('last_scan_gate_id'),
    }))
    .where((eb) => eb('tickets.id', '=', v.column('id')));
});

const tagColumns = ['id', 'entry_count', 'inside_since', 'inside_gate_id'] as const;

/** A wristband's values after the batch, in the column order of tagColumns. */
export type TagPresenceValues = [id: string, entryCount: number, insideSince: string | null, insideGateId: string | null];

export const updateTagPresences = listQueryTemplate((values: readonly (string | number | null)[]) => {
  const v = valuesTable('v', tagColumns, rowsOf(values, tagColumns.length));
  return query
    .updateTable('tags')
    .from(v)
    .set((eb) => ({
      entry_count: eb.cast<number>(v.column('entry_count'), 'integer'),
      inside_since: v.column<string | null>('inside_since'),
      inside_gate_id: v.column<string | null>('inside_gate_id'),
    }))
    .where((eb) => eb('tags.id', '=', v.column('id')));
});
