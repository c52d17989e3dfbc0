import { z } from 'zod';
import type { Flag } from '../../db/schema.ts';
import { raiseConflict } from '../alerts/raise.ts';
import { defineCommand } from '../commands/command.ts';
import type { Body, CommandTx } from '../commands/tx.ts';
import { displayName } from '../customers/display-name.ts';
import { scanVerdicts } from '../enumerations.ts';
import { invalid, notFound } from '../errors.ts';
import { idSchema, normalizeTagUid } from '../fields.ts';
import { checkinScanInput, type CheckinVerdict } from './checkin.contract.ts';
import {
  admittedScans,
  credentialElsewhere,
  eventById,
  firstAdmission,
  gateById,
  gateName,
  insertScan,
  latestAdmission,
  recordedScan,
  scannedTicket,
  setDoubleAdmission,
  tagByUid,
  updateTagPresence,
  updateTicketScan,
  type ScannedTag,
  type ScannedTicket,
} from './credentials.ts';
import { doubleAdmissionMessage, doubleAdmissions, entryRefusal } from './double-admission.ts';
import { formatEventTime } from './event-time.ts';
import { mergeAdmittedScan, noPresence, scanOrder, type AdmittedScan, type PresenceState } from './presence.ts';
import { scanReasons, scanWarnings, type RejectionReason, type ScanReason } from './reasons.ts';
import { scanningEvent } from './scanning-event.ts';
import { decideTag, decideTicket, parseGateIds, verdictMessage, type Decision, type MessageDetails, type Situation, type TypeRules } from './verdict.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * A scan is a fact (DESIGN.md section 5): the terminal decides it, and its envelope's args carry what
 * was decided (verdict, reason, warning, time) besides the code, gate and direction, so the server
 * and a replay record it as it happened instead of deciding again. The scan id is made by the
 * handler so the args carry it: a scan already recorded under its id is recorded once.
 */
export const scanCommandInput = checkinScanInput.extend({
  scanId: idSchema,
  verdict: z.enum(scanVerdicts).optional(),
  reason: z.enum(scanReasons).optional(),
  warning: z.enum(scanWarnings).nullable().optional(),
  at: z.iso.datetime({ offset: false, precision: 3 }).optional(),
});

type ScanInput = z.output<typeof scanCommandInput>;
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

const verdictOf = (decision: Decision) => (decision.reason === 'admitted' ? 'admitted' : 'rejected');

function presenceOf(row: CredentialRow): PresenceState {
  return {
    entryCount: row.entry_count,
    insideSince: row.inside_since,
    insideGateId: row.inside_gate_id,
    firstEntryAt: 'first_scan_at' in row ? row.first_scan_at : null,
  };
}

/** What an alert names: "Ticket TCK-1", "Wristband 04A1…". */
const credentialLabel = (row: CredentialRow) => ('reference' in row ? `Ticket ${row.reference}` : `Wristband ${row.uid}`);

/**
 * The credential's presence after an admitted scan, and whether the scan is a double admission
 * (double-admission.ts). The admission is merged (presence.ts) against the latest admitted scan, so
 * scans recorded out of order still give one presence. A scan later than every admission meets the
 * presence the row holds: only a fact (decided at another, offline gate) can then be an entry the
 * rules refuse; the terminal deciding now refused it. A scan earlier than the latest admission
 * changes what came after it, so the flags of all the credential's admissions are worked out again,
 * set where they changed, and each newly flagged scan reported (tx.conflict and an alert).
 */
function* admission(tx: CommandTx, kind: 'ticket' | 'tag', row: CredentialRow, scan: AdmittedScan, fact: boolean, timeZone: string, eventId: string) {
  const current = presenceOf(row);
  const latest = yield* latestAdmission(tx, kind, row.id);
  const after = mergeAdmittedScan(current, scan, latest);
  if (latest === null || scanOrder(scan, latest) > 0) {
    // The hot path (a scan this terminal decides, in order) reads no rules: it admitted by them.
    const refusal = fact && scan.direction === 'entry' ? entryRefusal(typeRules(row), current) : null;
    if (refusal === null) return { after, flag: 0 as Flag };
    yield* reportDoubleAdmission(tx, row, scan, refusal, timeZone, eventId);
    return { after, flag: 1 as Flag };
  }
  const earlier = yield* admittedScans(tx, kind, row.id);
  // What the credential carried before its own scans (a wristband, its ticket's entries).
  const carried = row.entry_count - earlier.filter((prior) => prior.direction === 'entry').length;
  const flags = doubleAdmissions([...earlier, scan], typeRules(row), { ...noPresence, entryCount: Math.max(0, carried) });
  for (const prior of earlier) {
    const refusal = flags.get(prior.id);
    const flag: Flag = refusal === undefined ? 0 : 1;
    if (flag === prior.double_admission) continue;
    yield* tx.run(setDoubleAdmission.with(flag, prior.id));
    if (refusal !== undefined) yield* reportDoubleAdmission(tx, row, prior, refusal, timeZone, eventId);
  }
  const refusal = flags.get(scan.id);
  if (refusal === undefined) return { after, flag: 0 as Flag };
  yield* reportDoubleAdmission(tx, row, scan, refusal, timeZone, eventId);
  return { after, flag: 1 as Flag };
}

function* reportDoubleAdmission(tx: CommandTx, row: CredentialRow, scan: Pick<AdmittedScan, 'id' | 'at'>, refusal: RejectionReason, timeZone: string, eventId: string) {
  yield* raiseConflict(tx, eventId, {
    kind: 'double_admission',
    message: doubleAdmissionMessage(credentialLabel(row), formatEventTime(Date.parse(scan.at), timeZone), refusal),
    entity: 'scan',
    entityId: scan.id,
  });
}

function* requireEvent(tx: CommandTx, eventId: string | null | undefined) {
  const event = eventId ? yield* tx.first(eventById.with(eventId)) : undefined;
  if (!event) throw notFound('That event is not on this terminal', 'eventId');
  return event;
}

/**
 * The gate a scan is made at: it must exist and belong to the scanning event. A fact (decided
 * elsewhere, or recorded already) may name a gate removed since: it was there when staff scanned.
 */
function* scanningGate(tx: CommandTx, gateId: string | null | undefined, event: { id: string; name: string }, fact: boolean) {
  if (!gateId) return null;
  const gate = yield* tx.first(gateById.with(gateId));
  if (!gate || (gate.deleted_at !== null && !fact)) throw notFound('This gate is not on this terminal', 'gateId');
  if (gate.event_id !== event.id) throw invalid(`Gate ${gate.name} belongs to another event than ${event.name}`, 'gateId');
  return { id: gate.id, name: gate.name };
}

function* details(tx: CommandTx, row: CredentialRow | null, credential: string, situation: Situation, gate: string | null, entriesBefore: number) {
  const message: MessageDetails = {
    credential,
    direction: situation.direction,
    timeZone: situation.timeZone,
    ticketType: row?.type_name ?? null,
    rules: row ? typeRules(row) : null,
    entryCount: entriesBefore,
    insideSince: row?.inside_since ?? null,
    insideGate: row && row.inside_since !== null ? yield* gateName(tx, row.inside_gate_id) : null,
    gate,
    otherEventName: null,
    inactiveReason: row && 'inactive_reason' in row ? row.inactive_reason : null,
  };
  return message;
}

/** What was decided, by whom: this terminal now, the args of a fact, or the scan recorded under the same id. */
interface Decided {
  /** The scan is in the store already (a replayed or pushed fact): answer it, write nothing. */
  recorded: boolean;
  /** The fact's decision, or undefined when the rules decide now. */
  decision: Decision | undefined;
  at: string;
}

function* whatWasDecided(tx: CommandTx, input: ScanInput) {
  // Only a fact can be recorded already: the terminal deciding a scan now made its id just before
  // (the handler's newId()), and every envelope that is replayed or pushed carries what was decided.
  // So the hot path (a scan decided here) costs no probe of scans.
  const recorded = input.reason === undefined ? undefined : yield* tx.first(recordedScan.with(input.scanId));
  if (recorded) {
    const decided: Decided = {
      recorded: true,
      decision: { reason: recorded.reason as ScanReason, warning: recorded.verdict === 'admitted' ? (input.warning ?? null) : null },
      at: recorded.scanned_at,
    };
    return { decided, eventId: recorded.event_id, gateId: recorded.gate_id };
  }
  const decided: Decided = {
    recorded: false,
    decision: input.reason === undefined ? undefined : { reason: input.reason, warning: input.warning ?? null },
    // A fact's own time; on the terminal that decides it, the envelope's.
    at: input.at ?? tx.now,
  };
  return { decided, eventId: input.eventId, gateId: input.gateId };
}

/**
 * One scan at a gate (DESIGN.md section 7): finds the credential (ticket reference first, exact;
 * else a tag UID in any spelling), decides with the pure rules of verdict.ts, and records the
 * attempt in scans together with the credential's presence, all inside the command's one
 * transaction: two scans of one ticket can never both see it outside. A fact (its args carry the
 * reason) is recorded as decided; a scan already recorded under its id is answered, not recorded again.
 */
export const scanCommand = defineCommand({
  name: 'checkin.scan',
  version: 1,
  roles: rolesFrom('steward'),
  input: scanCommandInput,
  resolve: (store, input) => ({ ...input, eventId: scanningEvent(store, input.eventId).id }),
  *body(tx, input): Body<CheckinVerdict> {
    const { decided, eventId, gateId } = yield* whatWasDecided(tx, input);
    const event = yield* requireEvent(tx, eventId);
    const gate = yield* scanningGate(tx, gateId, event, decided.decision !== undefined);
    const { at, recorded } = decided;
    const situation: Situation = { direction: input.direction, gateId: gate?.id ?? null, nowMs: Date.parse(at), timeZone: event.time_zone };
    const base = { scanId: input.scanId, at, timeZone: event.time_zone, code: input.code, direction: input.direction, gate };
    const scan = { id: input.scanId, direction: input.direction, at, gateId: gate?.id ?? null };
    /** The decision a fact carries, or the one the rules make now; either way the args end up carrying it. */
    const decide = (rules: () => Decision): Decision => {
      if (decided.decision) return decided.decision;
      const decision = rules();
      tx.settle({ verdict: verdictOf(decision), reason: decision.reason, warning: decision.warning, at });
      return decision;
    };
    /** Admitted entries before this scan, for the message ("entry 3"): a recorded admission counts already. */
    const entriesBefore = (row: CredentialRow, decision: Decision) =>
      row.entry_count - (recorded && decision.reason === 'admitted' && input.direction === 'entry' ? 1 : 0);
    // Not a generator defined here: a generator function made per scan gets its own prototype and
    // object map, which costs the hot path (megamorphic steps, garbage kept through scavenges).
    const record = (code: string, ticketId: string | null, tagId: string | null, decision: Decision, doubleAdmission: Flag = 0) =>
      tx.run(
        insertScan.with(input.scanId, event.id, code, ticketId, tagId, gate?.id ?? null, input.direction, verdictOf(decision), decision.reason, tx.deviceId, tx.operator, at, doubleAdmission),
      );
    const fact = decided.decision !== undefined;

    const ticket = yield* scannedTicket(tx, event.id, input.code);
    if (ticket) {
      const decision = decide(() =>
        decideTicket(
          { invalidReason: ticket.invalid_reason, banned: ticket.banned === 1, redeemed: ticket.redeemed === 1, entryCount: ticket.entry_count, insideSince: ticket.inside_since },
          typeRules(ticket),
          situation,
        ),
      );
      const message = verdictMessage(
        decision.reason,
        decision.warning,
        yield* details(tx, ticket, `Ticket ${ticket.reference}`, situation, gate?.name ?? null, entriesBefore(ticket, decision)),
      );
      const earlier = (decision.reason !== 'admitted' || decision.warning !== null) && ticket.entry_count > 0;
      const first = earlier ? yield* firstAdmission(tx, 'ticket', ticket.id) : null;
      let after = presenceOf(ticket);
      if (!recorded) {
        let flag: Flag = 0;
        if (decision.reason === 'admitted') {
          ({ after, flag } = yield* admission(tx, 'ticket', ticket, scan, fact, event.time_zone, event.id));
        }
        yield* record(ticket.reference, ticket.id, null, decision, flag);
        // The last scan (any verdict) is the latest by time, whatever order scans are recorded in.
        const latestScan = ticket.last_scan_at === null || ticket.last_scan_at <= at;
        yield* tx.run(
          updateTicketScan.with(
            after.entryCount,
            after.insideSince,
            after.insideGateId,
            after.firstEntryAt,
            latestScan ? at : ticket.last_scan_at,
            latestScan ? (gate?.id ?? null) : ticket.last_scan_gate_id,
            ticket.id,
          ),
        );
      }
      return {
        ...base,
        verdict: verdictOf(decision),
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
    const tag = uid === undefined ? undefined : yield* tx.first(tagByUid.with(event.id, uid));
    if (tag) {
      const decision = decide(() =>
        decideTag({ banned: tag.banned === 1, active: tag.active === 1, entryCount: tag.entry_count, insideSince: tag.inside_since }, typeRules(tag), situation),
      );
      const message = verdictMessage(
        decision.reason,
        decision.warning,
        yield* details(tx, tag, `Wristband ${tag.uid}`, situation, gate?.name ?? null, entriesBefore(tag, decision)),
      );
      const earlier = (decision.reason !== 'admitted' || decision.warning !== null) && tag.entry_count > 0;
      const first = earlier ? yield* firstAdmission(tx, 'tag', tag.id) : null;
      let after = presenceOf(tag);
      if (!recorded) {
        let flag: Flag = 0;
        if (decision.reason === 'admitted') {
          ({ after, flag } = yield* admission(tx, 'tag', tag, scan, fact, event.time_zone, event.id));
        }
        yield* record(tag.uid, null, tag.id, decision, flag);
        if (decision.reason === 'admitted') yield* tx.run(updateTagPresence.with(after.entryCount, after.insideSince, after.insideGateId, tag.id));
      }
      return {
        ...base,
        verdict: verdictOf(decision),
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

    const elsewhere = yield* credentialElsewhere(tx, input.code, uid);
    const decision = decide(() => ({ reason: elsewhere ? 'other_event' : 'unknown', warning: null }));
    const credential = elsewhere?.tagId ? `Wristband ${uid}` : `Ticket ${input.code}`;
    const message = verdictMessage(decision.reason, decision.warning, {
      ...(yield* details(tx, null, credential, situation, gate?.name ?? null, 0)),
      otherEventName: elsewhere?.eventName ?? null,
    });
    if (!recorded) yield* record(elsewhere?.tagId ? uid! : input.code, elsewhere?.ticketId ?? null, elsewhere?.tagId ?? null, decision);
    return {
      ...base,
      verdict: verdictOf(decision),
      reason: decision.reason,
      message,
      warning: decision.warning,
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
