import type { Store } from '../../db/store.ts';
import { defineCommand, type CommandScope } from '../commands/command.ts';
import { displayName } from '../customers/display-name.ts';
import { z } from 'zod';
import { idSchema, normalizeTagUid } from '../fields.ts';
import { checkinScanInput, type CheckinVerdict } from './checkin.contract.ts';
import {
  credentialElsewhere,
  firstAdmission,
  gateName,
  latestAdmission,
  scanningEvent,
  scanningGate,
  tagByUid,
  ticketByReference,
  type ScannedTag,
  type ScannedTicket,
} from './credentials.ts';
import { mergeAdmittedScan, type PresenceState } from './presence.ts';
import { scanVerdicts } from '../enumerations.ts';
import { scanReasons, scanWarnings, type Direction } from './reasons.ts';
import { decideTag, decideTicket, parseGateIds, verdictMessage, type Decision, type MessageDetails, type Situation, type TypeRules } from './verdict.ts';

/**
 * A scan is a fact (DESIGN.md section 5): the terminal decides it, and its envelope's args carry what
 * was decided (verdict, reason, warning, time) besides the code, gate and direction, so the server
 * and a replay record it as it happened instead of deciding again. The scan id is made by the
 * handler so the args carry it: the server deduplicates scans by id.
 */
export const scanCommandInput = checkinScanInput.extend({
  scanId: idSchema,
  verdict: z.enum(scanVerdicts).optional(),
  reason: z.enum(scanReasons).optional(),
  warning: z.enum(scanWarnings).nullable().optional(),
  at: z.iso.datetime({ offset: false, precision: 3 }).optional(),
});

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

/**
 * Presence after the scan: rejections change nothing; an admission is merged (presence.ts) against
 * the credential's latest admitted scan, so scans recorded out of order still give one presence.
 */
function presenceAfter(store: Store, kind: 'ticket' | 'tag', row: CredentialRow, decision: Decision, scan: { id: string; direction: Direction; at: string; gateId: string | null }): PresenceState {
  const current: PresenceState = {
    entryCount: row.entry_count,
    insideSince: row.inside_since,
    insideGateId: row.inside_gate_id,
    firstEntryAt: 'first_scan_at' in row ? row.first_scan_at : null,
  };
  if (decision.reason !== 'admitted') return current;
  return mergeAdmittedScan(current, scan, latestAdmission(store, kind, row.id));
}

/** The decision a fact carries, or the one the rules make now; either way the args end up carrying it. */
function decided(scope: CommandScope, input: z.output<typeof scanCommandInput>, decide: () => Decision): Decision {
  if (input.reason !== undefined) return { reason: input.reason, warning: input.warning ?? null };
  const decision = decide();
  scope.settle({ verdict: decision.reason === 'admitted' ? 'admitted' : 'rejected', reason: decision.reason, warning: decision.warning, at: scope.now });
  return decision;
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
  at: string;
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
      r.at,
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
    // A fact's own time; on the terminal that decides it, the envelope's.
    const at = input.at ?? scope.now;
    const situation: Situation = { direction: input.direction, gateId: gate?.id ?? null, nowMs: Date.parse(at), timeZone: event.time_zone };
    const base = { scanId: input.scanId, at, timeZone: event.time_zone, code: input.code, direction: input.direction, gate };
    const scan = { id: input.scanId, direction: input.direction, at, gateId: gate?.id ?? null };
    const record = (code: string, ticketId: string | null, tagId: string | null, decision: Decision) =>
      recordScan({ scope, scanId: input.scanId, eventId: event.id, code, gate, direction: input.direction, ticketId, tagId, decision, at });

    const ticket = ticketByReference.first(store, event.id, input.code);
    if (ticket) {
      const decision = decided(scope, input, () =>
        decideTicket(
          { invalidReason: ticket.invalid_reason, banned: ticket.banned === 1, redeemed: ticket.redeemed === 1, entryCount: ticket.entry_count, insideSince: ticket.inside_since },
          typeRules(ticket),
          situation,
        ),
      );
      const message = verdictMessage(decision.reason, decision.warning, details(store, ticket, `Ticket ${ticket.reference}`, situation, gate?.name ?? null));
      const earlier = (decision.reason !== 'admitted' || decision.warning !== null) && ticket.entry_count > 0;
      const first = earlier ? firstAdmission(store, 'ticket', ticket.id) : null;
      const after = presenceAfter(store, 'ticket', ticket, decision, scan);
      record(ticket.reference, ticket.id, null, decision);
      // The last scan (any verdict) is the latest by time, whatever order scans are recorded in.
      const latestScan = ticket.last_scan_at === null || ticket.last_scan_at <= at;
      store
        .statement(updateTicketScan)
        .run(
          after.entryCount,
          after.insideSince,
          after.insideGateId,
          after.firstEntryAt,
          latestScan ? at : ticket.last_scan_at,
          latestScan ? (gate?.id ?? null) : ticket.last_scan_gate_id,
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
      const decision = decided(scope, input, () =>
        decideTag({ banned: tag.banned === 1, active: tag.active === 1, entryCount: tag.entry_count, insideSince: tag.inside_since }, typeRules(tag), situation),
      );
      const message = verdictMessage(decision.reason, decision.warning, details(store, tag, `Wristband ${tag.uid}`, situation, gate?.name ?? null));
      const earlier = (decision.reason !== 'admitted' || decision.warning !== null) && tag.entry_count > 0;
      const first = earlier ? firstAdmission(store, 'tag', tag.id) : null;
      const after = presenceAfter(store, 'tag', tag, decision, scan);
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
    const decision = decided(scope, input, () => ({ reason: elsewhere ? 'other_event' : 'unknown', warning: null }));
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
