import type { Store } from '../../db/store.ts';
import { defineCommand, type CommandScope } from '../commands/command.ts';
import { displayName } from '../customers/display-name.ts';
import { idSchema, normalizeTagUid } from '../fields.ts';
import { checkinScanInput, type CheckinVerdict } from './checkin.contract.ts';
import {
  credentialElsewhere,
  firstAdmission,
  gateName,
  scanningEvent,
  scanningGate,
  tagByUid,
  ticketByReference,
  type ScannedTag,
  type ScannedTicket,
} from './credentials.ts';
import type { Direction } from './reasons.ts';
import { decideTag, decideTicket, parseGateIds, verdictMessage, type Decision, type MessageDetails, type Situation, type TypeRules } from './verdict.ts';

/** The scan id is made by the handler so the outbox carries it: the server deduplicates scans by id. */
export const scanCommandInput = checkinScanInput.extend({ scanId: idSchema });

const insertScan = `INSERT INTO scans
  (id, event_id, code, ticket_id, tag_id, gate_id, direction, verdict, reason, device_id, operator, scanned_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const updateTicketScan = `UPDATE tickets SET entry_count = ?, inside_since = ?, inside_gate_id = ?,
  first_scan_at = ?, last_scan_at = ?, last_scan_gate_id = ? WHERE id = ?`;

const updateTagPresence = 'UPDATE tags SET entry_count = ?, inside_since = ?, inside_gate_id = ? WHERE id = ?';

type CredentialRow = ScannedTicket | ScannedTag;

function typeRules(row: CredentialRow): TypeRules {
  return {
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    maxEntries: row.max_entries,
    reentryAllowed: row.reentry_allowed === 1,
    gateIds: parseGateIds(row.gate_ids),
  };
}

function customerOf(row: CredentialRow): CheckinVerdict['customer'] {
  if (row.customer_id === null) return null;
  return { id: row.customer_id, displayName: displayName({ firstName: row.first_name, lastName: row.last_name, email: row.email }) };
}

/** Presence after an admitted scan (rejections change nothing). */
function presenceAfter(row: CredentialRow, decision: Decision, direction: Direction, now: string, gateId: string | null) {
  if (decision.reason !== 'admitted') return { entryCount: row.entry_count, insideSince: row.inside_since, insideGateId: row.inside_gate_id };
  return direction === 'entry'
    ? { entryCount: row.entry_count + 1, insideSince: now, insideGateId: gateId }
    : { entryCount: row.entry_count, insideSince: null, insideGateId: null };
}

interface Recorded {
  scope: CommandScope;
  scanId: string;
  eventId: string;
  code: string;
  gate: { id: string; name: string } | null;
  direction: Direction;
  ticketId: string | null;
  tagId: string | null;
  decision: Decision;
}

function recordScan(r: Recorded): void {
  r.scope.store
    .statement(insertScan)
    .run(
      r.scanId,
      r.eventId,
      r.code,
      r.ticketId,
      r.tagId,
      r.gate?.id ?? null,
      r.direction,
      r.decision.reason === 'admitted' ? 'admitted' : 'rejected',
      r.decision.reason,
      r.scope.deviceId,
      r.scope.operator,
      r.scope.now,
    );
}

function details(store: Store, row: CredentialRow | null, credential: string, situation: Situation, gate: string | null): MessageDetails {
  return {
    credential,
    direction: situation.direction,
    timeZone: situation.timeZone,
    ticketType: row?.type_name ?? null,
    rules: row ? typeRules(row) : null,
    entryCount: row?.entry_count ?? 0,
    insideSince: row?.inside_since ?? null,
    insideGate: row && row.inside_since !== null ? gateName(store, row.inside_gate_id) : null,
    gate,
    otherEventName: null,
    inactiveReason: row && 'inactive_reason' in row ? row.inactive_reason : null,
  };
}

/**
 * One scan at a gate (DESIGN.md section 7): finds the credential (ticket reference first, exact;
 * else a tag UID in any spelling), decides with the pure rules of verdict.ts, and records the
 * attempt in scans together with the credential's presence, all inside the command's one
 * transaction: two scans of one ticket can never both see it outside.
 */
export const scanCommand = defineCommand({
  name: 'checkin.scan',
  version: 1,
  input: scanCommandInput,
  resolve: (store, input) => ({ ...input, eventId: scanningEvent(store, input.eventId).id }),
  apply(scope, input): CheckinVerdict {
    const { store } = scope;
    const event = scanningEvent(store, input.eventId);
    const gate = scanningGate(store, input.gateId, event);
    const situation: Situation = { direction: input.direction, gateId: gate?.id ?? null, nowMs: Date.parse(scope.now), timeZone: event.time_zone };
    const base = { scanId: input.scanId, at: scope.now, timeZone: event.time_zone, code: input.code, direction: input.direction, gate };
    const record = (code: string, ticketId: string | null, tagId: string | null, decision: Decision) =>
      recordScan({ scope, scanId: input.scanId, eventId: event.id, code, gate, direction: input.direction, ticketId, tagId, decision });

    const ticket = ticketByReference.first(store, event.id, input.code);
    if (ticket) {
      const decision = decideTicket(
        { invalidReason: ticket.invalid_reason, banned: ticket.banned === 1, redeemed: ticket.redeemed === 1, entryCount: ticket.entry_count, insideSince: ticket.inside_since },
        typeRules(ticket),
        situation,
      );
      const message = verdictMessage(decision.reason, decision.warning, details(store, ticket, `Ticket ${ticket.reference}`, situation, gate?.name ?? null));
      const earlier = (decision.reason !== 'admitted' || decision.warning !== null) && ticket.entry_count > 0;
      const first = earlier ? firstAdmission(store, 'ticket', ticket.id) : null;
      const after = presenceAfter(ticket, decision, input.direction, scope.now, gate?.id ?? null);
      record(ticket.reference, ticket.id, null, decision);
      const admittedEntry = decision.reason === 'admitted' && input.direction === 'entry';
      store
        .statement(updateTicketScan)
        .run(
          after.entryCount,
          after.insideSince,
          after.insideGateId,
          ticket.first_scan_at ?? (admittedEntry ? scope.now : null),
          scope.now,
          gate?.id ?? null,
          ticket.id,
        );
      return {
        ...base,
        verdict: decision.reason === 'admitted' ? 'admitted' : 'rejected',
        reason: decision.reason,
        message,
        warning: decision.warning,
        credential: 'ticket',
        ticket: {
          id: ticket.id,
          reference: ticket.reference,
          ticketType: ticket.type_name,
          status: ticket.status,
          invalidReason: ticket.invalid_reason,
          redeemed: ticket.redeemed === 1,
          banned: ticket.banned === 1,
        },
        tag: null,
        customer: customerOf(ticket),
        entries: after.entryCount,
        maxEntries: ticket.max_entries,
        firstAdmission: first,
      };
    }

    const uid = normalizeTagUid(input.code);
    const tag = uid === undefined ? undefined : tagByUid.first(store, event.id, uid);
    if (tag) {
      const decision = decideTag(
        { banned: tag.banned === 1, active: tag.active === 1, entryCount: tag.entry_count, insideSince: tag.inside_since },
        typeRules(tag),
        situation,
      );
      const message = verdictMessage(decision.reason, decision.warning, details(store, tag, `Wristband ${tag.uid}`, situation, gate?.name ?? null));
      const earlier = (decision.reason !== 'admitted' || decision.warning !== null) && tag.entry_count > 0;
      const first = earlier ? firstAdmission(store, 'tag', tag.id) : null;
      const after = presenceAfter(tag, decision, input.direction, scope.now, gate?.id ?? null);
      record(tag.uid, null, tag.id, decision);
      if (decision.reason === 'admitted') store.statement(updateTagPresence).run(after.entryCount, after.insideSince, after.insideGateId, tag.id);
      return {
        ...base,
        verdict: decision.reason === 'admitted' ? 'admitted' : 'rejected',
        reason: decision.reason,
        message,
        warning: decision.warning,
        credential: 'tag',
        ticket: null,
        tag: {
          id: tag.id,
          uid: tag.uid,
          ticketType: tag.type_name,
          active: tag.active === 1,
          banned: tag.banned === 1,
          inactiveReason: tag.inactive_reason,
        },
        customer: customerOf(tag),
        entries: after.entryCount,
        maxEntries: tag.max_entries,
        firstAdmission: first,
      };
    }

    const elsewhere = credentialElsewhere(store, input.code, uid);
    const decision: Decision = { reason: elsewhere ? 'other_event' : 'unknown', warning: null };
    const credential = elsewhere?.tagId ? `Wristband ${uid}` : `Ticket ${input.code}`;
    const message = verdictMessage(decision.reason, null, {
      ...details(store, null, credential, situation, gate?.name ?? null),
      otherEventName: elsewhere?.eventName ?? null,
    });
    record(elsewhere?.tagId ? uid! : input.code, elsewhere?.ticketId ?? null, elsewhere?.tagId ?? null, decision);
    return {
      ...base,
      verdict: 'rejected',
      reason: decision.reason,
      message,
      warning: null,
      credential: elsewhere ? (elsewhere.tagId ? 'tag' : 'ticket') : null,
      ticket: null,
      tag: null,
      customer: null,
      entries: 0,
      maxEntries: null,
      firstAdmission: null,
    };
  },
});
