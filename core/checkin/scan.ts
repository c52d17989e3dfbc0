import { z } from 'zod';
import type { Flag } from '../../db/schema.ts';
import { raiseConflict } from '../alerts/raise.ts';
import { defineCommand } from '../commands/command.ts';
import type { Body, CommandTx } from '../commands/tx.ts';
import { scanVerdicts } from '../enumerations.ts';
import { idSchema, normalizeTagUid } from '../fields.ts';
import { rolesFrom } from '../operators/roles.ts';
import { checkinScanInput, type CheckinVerdict } from './checkin.contract.ts';
import {
  admittedScans,
  credentialElsewhere,
  eventById,
  firstAdmission,
  gateById,
  gateName,
  latestAdmission,
  scannedTicket,
  tagByUid,
  updateTagPresence,
  updateTicketScan,
  type CredentialElsewhere,
  type ScannedTag,
  type ScannedTicket,
} from './credentials.ts';
import { reflaggedAdmissions } from './double-admission.ts';
import { mergeAdmittedScan, scanOrder, type AdmittedScan, type PresenceState } from './presence.ts';
import { scanReasons, scanWarnings } from './reasons.ts';
import { checkedGate, planScanFacts, requiredEvent, writeScanFacts } from './scan-facts.ts';
import { insertScans, setDoubleAdmissions } from './scan-sets.ts';
import { customerOf, doubleAdmissionConflict, presenceOf, ticketAfterScan, typeRules, verdictOf, type CredentialRow } from './scanned-credential.ts';
import { scanningEvent } from './scanning-event.ts';
import { decideTag, decideTicket, verdictMessage, type Decision, type MessageDetails, type Situation } from './verdict.ts';

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

export type ScanInput = z.output<typeof scanCommandInput>;

/**
 * The credential's presence after a scan this terminal admits now, and whether it is a double
 * admission (double-admission.ts). The admission is merged (presence.ts) against the latest admitted
 * scan. A scan later than every admission (the hot path: in order) is no double admission: the rules
 * just admitted it (inOrderRefusal is for facts). A scan earlier than the latest admission (a fact of
 * another gate recorded here with a later time) changes what came after it, so the flags of all the
 * credential's admissions are worked out again, set where they changed, and each newly flagged scan
 * reported (tx.conflict and an alert). Facts are recorded by scan-facts.ts, with the same rules.
 */
function* admission(tx: CommandTx, kind: 'ticket' | 'tag', row: CredentialRow, scan: AdmittedScan, timeZone: string, eventId: string) {
  const current = presenceOf(row);
  const latest = yield* latestAdmission(tx, kind, row.id);
  const after = mergeAdmittedScan(current, scan, latest);
  // The hot path reads no rules: it admitted by them.
  if (latest === null || scanOrder(scan, latest) > 0) return { after, flag: 0 as Flag };
  const earlier = yield* admittedScans(tx, kind, row.id);
  const { changed, refusal } = reflaggedAdmissions(earlier, scan, typeRules(row), row.entry_count);
  for (const { prior, flag, refusal: priorRefusal } of changed) {
    yield* tx.run(setDoubleAdmissions.with([flag], [prior.id]));
    if (priorRefusal !== undefined) yield* raiseConflict(tx, eventId, doubleAdmissionConflict(row, prior, priorRefusal, timeZone));
  }
  if (refusal === undefined) return { after, flag: 0 as Flag };
  yield* raiseConflict(tx, eventId, doubleAdmissionConflict(row, scan, refusal, timeZone));
  return { after, flag: 1 as Flag };
}

function* requireEvent(tx: CommandTx, eventId: string | null | undefined) {
  return requiredEvent(eventId ? yield* tx.first(eventById.with(eventId)) : undefined);
}

function* scanningGate(tx: CommandTx, gateId: string | null | undefined, event: { id: string; name: string }) {
  if (!gateId) return null;
  return checkedGate(yield* tx.first(gateById.with(gateId)), event, false);
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

/**
 * What the verdict tells staff about the credential, read before the scan is written (as staff saw
 * it): the message, and for a refusal or a warning its first admission ("first used at…").
 */
function* told(tx: CommandTx, kind: 'ticket' | 'tag', row: CredentialRow, label: string, situation: Situation, gate: string | null, decision: Decision, entriesBefore: number) {
  const message = verdictMessage(decision.reason, decision.warning, yield* details(tx, row, label, situation, gate, entriesBefore));
  const earlier = (decision.reason !== 'admitted' || decision.warning !== null) && row.entry_count > 0;
  const first = earlier ? yield* firstAdmission(tx, kind, row.id) : null;
  return { message, first };
}

/** What every verdict says: the scan, when, where, what was read. */
interface VerdictBase {
  scanId: string;
  at: string;
  timeZone: string;
  code: string;
  direction: ScanInput['direction'];
  gate: { id: string; name: string } | null;
}

type Told = { message: string; first: CheckinVerdict['firstAdmission'] };

/** What every verdict says of the decision. */
const decided = (base: VerdictBase, decision: Decision, message: string) => ({
  ...base,
  verdict: verdictOf(decision),
  reason: decision.reason,
  message,
  warning: decision.warning,
});

function ticketVerdict(base: VerdictBase, decision: Decision, { message, first }: Told, ticket: ScannedTicket, after: PresenceState): CheckinVerdict {
  return {
    ...decided(base, decision, message),
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

function tagVerdict(base: VerdictBase, decision: Decision, { message, first }: Told, tag: ScannedTag, after: PresenceState): CheckinVerdict {
  return {
    ...decided(base, decision, message),
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

/** A code of no ticket or wristband of the scanning event: unknown, or of another event. */
function* unknownVerdict(tx: CommandTx, base: VerdictBase, decision: Decision, situation: Situation, uid: string | undefined, elsewhere: CredentialElsewhere | undefined) {
  const credential = elsewhere?.tagId ? `Wristband ${uid}` : `Ticket ${base.code}`;
  const message = verdictMessage(decision.reason, decision.warning, {
    ...(yield* details(tx, null, credential, situation, base.gate?.name ?? null, 0)),
    otherEventName: elsewhere?.eventName ?? null,
  });
  const verdict: CheckinVerdict = {
    ...decided(base, decision, message),
    credential: elsewhere ? (elsewhere.tagId ? 'tag' : 'ticket') : null,
    ticket: null,
    tag: null,
    customer: null,
    entries: 0,
    maxEntries: null,
    firstAdmission: null,
  };
  return verdict;
}

/**
 * A fact (its args carry what was decided), recorded by scan-facts.ts as a batch of one, the
 * code every store records facts with; answered as staff saw it, from what the fact met before it
 * was written. A scan already recorded under its id is answered, not recorded again.
 */
function* recordedFact(tx: CommandTx, input: ScanInput): Body<CheckinVerdict> {
  const plan = yield* planScanFacts(tx, [{ tx, input }]);
  const { event, gate, recorded, decision, at, credential } = plan.outcomes[0]!;
  const situation: Situation = { direction: input.direction, gateId: gate?.id ?? null, nowMs: Date.parse(at), timeZone: event.time_zone };
  const base: VerdictBase = { scanId: input.scanId, at, timeZone: event.time_zone, code: input.code, direction: input.direction, gate };
  /** Admitted entries before this scan, for the message ("entry 3"): a recorded admission counts already. */
  const entriesBefore = (row: CredentialRow) => row.entry_count - (recorded && decision.reason === 'admitted' && input.direction === 'entry' ? 1 : 0);
  let verdict: CheckinVerdict;
  if (credential.kind === 'ticket') {
    const { row } = credential;
    verdict = ticketVerdict(base, decision, yield* told(tx, 'ticket', row, `Ticket ${row.reference}`, situation, gate?.name ?? null, decision, entriesBefore(row)), row, credential.after);
  } else if (credential.kind === 'tag') {
    const { row } = credential;
    verdict = tagVerdict(base, decision, yield* told(tx, 'tag', row, `Wristband ${row.uid}`, situation, gate?.name ?? null, decision, entriesBefore(row)), row, credential.after);
  } else {
    verdict = yield* unknownVerdict(tx, base, decision, situation, credential.uid, credential.elsewhere);
  }
  yield* writeScanFacts(tx, plan);
  return verdict;
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
    if (input.reason !== undefined) return yield* recordedFact(tx, input);
    // The hot path: a scan decided now, at this terminal's time. Its id was made just before (the
    // handler's newId()), so it cannot be recorded already: no probe of scans.
    const event = yield* requireEvent(tx, input.eventId);
    const gate = yield* scanningGate(tx, input.gateId, event);
    // A scan's own time; on the terminal that decides it, the envelope's.
    const at = input.at ?? tx.now;
    const situation: Situation = { direction: input.direction, gateId: gate?.id ?? null, nowMs: Date.parse(at), timeZone: event.time_zone };
    const base: VerdictBase = { scanId: input.scanId, at, timeZone: event.time_zone, code: input.code, direction: input.direction, gate };
    const scan = { id: input.scanId, direction: input.direction, at, gateId: gate?.id ?? null };
    /** The decision the rules make now: the args end up carrying it, so the envelope is a fact. */
    const settled = (decision: Decision): Decision => {
      tx.settle({ verdict: verdictOf(decision), reason: decision.reason, warning: decision.warning, at });
      return decision;
    };
    // Not a generator defined here: a generator function made per scan gets its own prototype and
    // object map, which costs the hot path (megamorphic steps, garbage kept through scavenges).
    const record = (code: string, ticketId: string | null, tagId: string | null, decision: Decision, doubleAdmission: Flag = 0) =>
      tx.run(
        insertScans.with([input.scanId, event.id, code, ticketId, tagId, gate?.id ?? null, input.direction, verdictOf(decision), decision.reason, tx.deviceId, tx.operator, at, doubleAdmission]),
      );

    const ticket = yield* scannedTicket(tx, event.id, input.code);
    if (ticket) {
      const decision = settled(
        decideTicket(
          { invalidReason: ticket.invalid_reason, banned: ticket.banned === 1, redeemed: ticket.redeemed === 1, entryCount: ticket.entry_count, insideSince: ticket.inside_since },
          typeRules(ticket),
          situation,
        ),
      );
      const said = yield* told(tx, 'ticket', ticket, `Ticket ${ticket.reference}`, situation, gate?.name ?? null, decision, ticket.entry_count);
      let after = presenceOf(ticket);
      let flag: Flag = 0;
      if (decision.reason === 'admitted') ({ after, flag } = yield* admission(tx, 'ticket', ticket, scan, event.time_zone, event.id));
      yield* record(ticket.reference, ticket.id, null, decision, flag);
      const next = ticketAfterScan(ticket, after, at, gate?.id ?? null);
      yield* tx.run(updateTicketScan.with(next.entry_count, next.inside_since, next.inside_gate_id, next.first_scan_at, next.last_scan_at, next.last_scan_gate_id, ticket.id));
      return ticketVerdict(base, decision, said, ticket, after);
    }

    const uid = normalizeTagUid(input.code);
    const tag = uid === undefined ? undefined : yield* tx.first(tagByUid.with(event.id, uid));
    if (tag) {
      const decision = settled(
        decideTag({ banned: tag.banned === 1, active: tag.active === 1, entryCount: tag.entry_count, insideSince: tag.inside_since }, typeRules(tag), situation),
      );
      const said = yield* told(tx, 'tag', tag, `Wristband ${tag.uid}`, situation, gate?.name ?? null, decision, tag.entry_count);
      let after = presenceOf(tag);
      let flag: Flag = 0;
      if (decision.reason === 'admitted') ({ after, flag } = yield* admission(tx, 'tag', tag, scan, event.time_zone, event.id));
      yield* record(tag.uid, null, tag.id, decision, flag);
      if (decision.reason === 'admitted') yield* tx.run(updateTagPresence.with(after.entryCount, after.insideSince, after.insideGateId, tag.id));
      return tagVerdict(base, decision, said, tag, after);
    }

    const elsewhere = yield* credentialElsewhere(tx, input.code, uid);
    const decision = settled({ reason: elsewhere ? 'other_event' : 'unknown', warning: null });
    const verdict = yield* unknownVerdict(tx, base, decision, situation, uid, elsewhere);
    yield* record(elsewhere?.tagId ? uid! : input.code, elsewhere?.ticketId ?? null, elsewhere?.tagId ?? null, decision);
    return verdict;
  },
});
