import type { CheckinVerdict } from './checkin.contract.ts';
import type { ScanVerdict } from '../enumerations.ts';
import { displayName } from '../customers/display-name.ts';
import type { ScannedTag, ScannedTicket } from './credentials.ts';
import { doubleAdmissionMessage } from './double-admission.ts';
import { formatEventTime } from './event-time.ts';
import type { AdmittedScan, PresenceState } from './presence.ts';
import type { RejectionReason } from './reasons.ts';
import { parseGateIds, type Decision, type TypeRules } from './verdict.ts';
import type { RaisedConflict } from '../alerts/raise.ts';

/**
 * A scanned ticket or wristband as a scan decides by it and records against it, whether the scan is
 * decided now (scan.ts) or recorded as a fact (scan-facts.ts): its type's rules, its presence, what
 * its answer and its alerts name it.
 */
export type CredentialRow = ScannedTicket | ScannedTag;

export function typeRules(row: CredentialRow): TypeRules {
  return {
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    maxEntries: row.max_entries,
    reentryAllowed: row.reentry_allowed === 1,
    gateIds: parseGateIds(row.gate_ids),
  };
}

export function customerOf(row: CredentialRow): CheckinVerdict['customer'] {
  if (row.customer_id === null) return null;
  return { id: row.customer_id, displayName: displayName({ firstName: row.first_name, lastName: row.last_name, email: row.email }) };
}

export const verdictOf = (decision: Decision): ScanVerdict => (decision.reason === 'admitted' ? 'admitted' : 'rejected');

export function presenceOf(row: CredentialRow): PresenceState {
  return {
    entryCount: row.entry_count,
    insideSince: row.inside_since,
    insideGateId: row.inside_gate_id,
    firstEntryAt: 'first_scan_at' in row ? row.first_scan_at : null,
  };
}

/** What an alert names: "Ticket TCK-1", "Wristband 04A1…". */
const credentialLabel = (row: CredentialRow) => ('reference' in row ? `Ticket ${row.reference}` : `Wristband ${row.uid}`);

/** The conflict a double admission of this credential reports (and its alert tells staff). */
export function doubleAdmissionConflict(row: CredentialRow, scan: Pick<AdmittedScan, 'id' | 'at'>, refusal: RejectionReason, timeZone: string): RaisedConflict {
  return {
    kind: 'double_admission',
    message: doubleAdmissionMessage(credentialLabel(row), formatEventTime(Date.parse(scan.at), timeZone), refusal),
    entity: 'scan',
    entityId: scan.id,
  };
}

/** A ticket's columns after a scan recorded at `at` (any verdict): its presence, and its last scan if this is the latest by time. */
export function ticketAfterScan(ticket: ScannedTicket, after: PresenceState, at: string, gateId: string | null) {
  // The last scan (any verdict) is the latest by time, whatever order scans are recorded in.
  const latestScan = ticket.last_scan_at === null || ticket.last_scan_at <= at;
  return {
    entry_count: after.entryCount,
    inside_since: after.insideSince,
    inside_gate_id: after.insideGateId,
    first_scan_at: after.firstEntryAt,
    last_scan_at: latestScan ? at : ticket.last_scan_at,
    last_scan_gate_id: latestScan ? gateId : ticket.last_scan_gate_id,
  };
}
