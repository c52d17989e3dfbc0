import type { Flag } from '../../db/schema.ts';
import { conflictAlert, storeAlerts, type AlertValues } from '../alerts/raise.ts';
import type { Body, CommandTx } from '../commands/tx.ts';
import type { EventRow } from '../events/current.ts';
import { invalid, notFound } from '../errors.ts';
import { normalizeTagUid } from '../fields.ts';
import { credentialElsewhere, onlyMatch, type CredentialElsewhere, type ScannedTag, type ScannedTicket } from './credentials.ts';
import { inOrderRefusal, reflaggedAdmissions, type FlaggedScan } from './double-admission.ts';
import { mergeAdmittedScan, scanOrder, type AdmittedScan, type PresenceState } from './presence.ts';
import type { ScanReason } from './reasons.ts';
import type { ScanInput } from './scan.ts';
import {
  eventsById,
  gatesById,
  insertScans,
  recordedScans,
  setDoubleAdmissions,
  admittedScansOf,
  tagsByUids,
  ticketsByReferences,
  updateTagPresences,
  updateTicketScans,
  type ScanValues,
  type TagPresenceValues,
  type TicketScanValues,
} from './scan-sets.ts';
import { doubleAdmissionConflict, presenceOf, ticketAfterScan, typeRules, verdictOf, type CredentialRow } from './scanned-credential.ts';
import type { Decision } from './verdict.ts';

/**
 * Recording scan facts (DESIGN.md sections 5 and 6): scans decided at a gate, whose args carry
 * what was decided, recorded as they happened and never decided again. One piece of code records
 * them everywhere: a fact replayed from the journal or re-run by a rebase on the terminal (the scan
 * body, one fact at a time), and a push's run of facts on the server (server/sync/push.ts, a whole
 * run at once).
 *
 * For N facts it reads in a few set-based statements (the scans already recorded by id, the events,
 * the gates, the tickets by reference, the wristbands by UID, the admitted scans of the credentials
 * the facts admit), decides in memory with the pure rules (presence.ts, double-admission.ts), one
 * fact after the other in their order, and writes with a few multi-row statements (the scans, the
 * double-admission flags that changed, the tickets' and wristbands' presence, the alerts). The rows
 * are those recording the facts one by one, in the same order, gives, and each fact's conflicts are
 * reported on its own envelope (its receipt's `applied_with_conflict`). While a server push holds
 * its event's lock every round trip counts: a fact recorded alone took 8 to 10.
 *
 * A fact whose event or gate is not on the store fails the whole batch with the error recording it
 * alone gives: the server then records the run one command at a time, so only that one is rejected.
 */

/** A fact and the transaction interface over its own envelope: its device, operator, time and conflicts. */
export interface ScanFact {
  tx: CommandTx;
  input: ScanInput;
}

export interface GateRow {
  id: string;
  event_id: string;
  name: string;
  deleted_at: string | null;
}

export function requiredEvent(event: EventRow | undefined): EventRow {
  if (!event) throw notFound('That event is not on this terminal', 'eventId');
  return event;
}

/**
 * The gate a scan is made at: it must exist and belong to the scanning event. A fact (decided
 * elsewhere, or recorded already) may name a gate removed since: it was there when staff scanned.
 */
export function checkedGate(gate: GateRow | undefined, event: { id: string; name: string }, fact: boolean) {
  if (!gate || (gate.deleted_at !== null && !fact)) throw notFound('This gate is not on this terminal', 'gateId');
  if (gate.event_id !== event.id) throw invalid(`Gate ${gate.name} belongs to another event than ${event.name}`, 'gateId');
  return { id: gate.id, name: gate.name };
}

/** What a fact was met with and what it did: what its answer (scan.ts) is made of. */
export interface FactOutcome {
  event: EventRow;
  gate: { id: string; name: string } | null;
  /** The scan was in the store already (recorded earlier, or earlier in this batch): answered, not written. */
  recorded: boolean;
  decision: Decision;
  at: string;
  credential:
    | { kind: 'ticket'; row: ScannedTicket; after: PresenceState }
    | { kind: 'tag'; row: ScannedTag; after: PresenceState }
    | { kind: 'none'; uid: string | undefined; elsewhere: CredentialElsewhere | undefined };
}

/** What a batch decided, to be written by writeScanFacts. */
export interface ScanFactsPlan {
  outcomes: FactOutcome[];
  scans: ScanValues[];
  /** Scans recorded before the batch whose flag the batch set (written even if set back: recording one by one wrote them). */
  flags: Map<string, Flag>;
  tickets: Map<string, CredentialState<ScannedTicket>>;
  tags: Map<string, CredentialState<ScannedTag>>;
  alerts: AlertValues[];
}

/** A credential as the batch has it: its row as the next fact meets it, its admitted scans once read. */
interface CredentialState<Row extends CredentialRow> {
  row: Row;
  admitted: FlaggedScan[] | undefined;
  /** A fact changed it: recording one by one wrote its row. */
  written: boolean;
}

interface Decided {
  recorded: boolean;
  decision: Decision;
  at: string;
  eventId: string | null | undefined;
  gateId: string | null;
}

const unique = <T>(items: readonly T[]) => [...new Set(items)];
const key = (eventId: string, code: string) => `${eventId}\u0000${code}`;

/**
 * What each fact decided, in order. A scan already recorded under its id (by an earlier push, or by
 * the same fact earlier in this batch) is answered as recorded: its event, gate, time and reason.
 */
function* decisions(tx: CommandTx, facts: readonly ScanFact[]): Body<Decided[]> {
  const stored = new Map((yield* tx.all(recordedScans.with(unique(facts.map((fact) => fact.input.scanId))))).map((row) => [row.id, row]));
  const inBatch = new Map<string, { event_id: string; gate_id: string | null; verdict: string; reason: string; scanned_at: string }>();
  return facts.map(({ tx: factTx, input }) => {
    const recorded = stored.get(input.scanId) ?? inBatch.get(input.scanId);
    if (recorded) {
      const decision: Decision = { reason: recorded.reason as ScanReason, warning: recorded.verdict === 'admitted' ? (input.warning ?? null) : null };
      return { recorded: true, decision, at: recorded.scanned_at, eventId: recorded.event_id, gateId: recorded.gate_id };
    }
    const decision: Decision = { reason: input.reason!, warning: input.warning ?? null };
    const at = input.at ?? factTx.now;
    const gateId = input.gateId || null;
    if (input.eventId) inBatch.set(input.scanId, { event_id: input.eventId, gate_id: gateId, verdict: verdictOf(decision), reason: decision.reason, scanned_at: at });
    return { recorded: false, decision, at, eventId: input.eventId, gateId };
  });
}

/** The batch's reads and decisions, nothing written: each fact's outcome and the writes they make. */
export function* planScanFacts(tx: CommandTx, facts: readonly ScanFact[]): Body<ScanFactsPlan> {
  const decided = yield* decisions(tx, facts);
  const eventIds = unique(decided.flatMap((fact) => (fact.eventId ? [fact.eventId] : [])));
  const events = new Map(eventIds.length === 0 ? [] : (yield* tx.all(eventsById.with(eventIds))).map((row) => [row.id, row]));
  const gateIds = unique(decided.flatMap((fact) => (fact.gateId === null ? [] : [fact.gateId])));
  const gates = new Map(gateIds.length === 0 ? [] : (yield* tx.all(gatesById.with(gateIds))).map((row) => [row.id, row]));
  const placed = decided.map((fact) => {
    const event = requiredEvent(fact.eventId ? events.get(fact.eventId) : undefined);
    return { ...fact, event, gate: fact.gateId === null ? null : checkedGate(gates.get(fact.gateId), event, true) };
  });

  // The credentials: tickets by reference, exactly or else in another case; wristbands by UID.
  const codes = facts.map((fact) => fact.input.code);
  const referenced = eventIds.length === 0 ? [] : yield* tx.all(ticketsByReferences.with(eventIds, unique(codes)));
  const ticketOf = placed.map((fact, index) => {
    const code = codes[index]!;
    const ofEvent = referenced.filter((row) => row.event_id === fact.event.id);
    return ofEvent.find((row) => row.reference === code) ?? onlyMatch(ofEvent, code);
  });
  const uids = codes.map((code, index) => (ticketOf[index] === undefined ? normalizeTagUid(code) : undefined));
  const wanted = unique(uids.flatMap((uid) => (uid === undefined ? [] : [uid])));
  const tagRows = wanted.length === 0 ? [] : yield* tx.all(tagsByUids.with(eventIds, wanted));
  const tagsByKey = new Map(tagRows.map((row) => [key(row.event_id, row.uid), row]));

  const tickets = new Map<string, CredentialState<ScannedTicket>>();
  const tags = new Map<string, CredentialState<ScannedTag>>();
  const met = placed.map((fact, index) => {
    const ticket = ticketOf[index];
    if (ticket) return { kind: 'ticket' as const, state: stateOf(tickets, ticket) };
    const uid = uids[index];
    const tag = uid === undefined ? undefined : tagsByKey.get(key(fact.event.id, uid));
    if (tag) return { kind: 'tag' as const, state: stateOf(tags, tag) };
    return { kind: 'none' as const, uid };
  });

  // The admitted scans of every credential a fact admits (not one already recorded).
  const admitting = (kind: 'ticket' | 'tag') =>
    unique(met.flatMap((credential, index) => (credential.kind === kind && !placed[index]!.recorded && placed[index]!.decision.reason === 'admitted' ? [credential.state.row.id] : [])));
  const admittingTickets = admitting('ticket');
  const admittingTags = admitting('tag');
  if (admittingTickets.length + admittingTags.length > 0) {
    const admitted = yield* tx.all(admittedScansOf.with(admittingTickets, admittingTags));
    attachAdmitted(tickets, admittingTickets, admitted.filter((scan) => scan.tag_id === null));
    attachAdmitted(tags, admittingTags, admitted.filter((scan) => scan.tag_id !== null));
  }

  const plan: ScanFactsPlan = { outcomes: [], scans: [], flags: new Map(), tickets, tags, alerts: [] };
  const newScans = new Map<string, ScanValues>();
  const elsewhereByCode = new Map<string, CredentialElsewhere | undefined>();
  for (const [index, fact] of placed.entries()) {
    const { tx: factTx, input } = facts[index]!;
    const { event, gate, recorded, decision, at } = fact;
    const credential = met[index]!;
    const record = (code: string, ticketId: string | null, tagId: string | null, flag: Flag) => {
      const values: ScanValues = [
        input.scanId,
        event.id,
        code,
        ticketId,
        tagId,
        gate?.id ?? null,
        input.direction,
        verdictOf(decision),
        decision.reason,
        factTx.deviceId,
        factTx.operator,
        at,
        flag,
      ];
      plan.scans.push(values);
      newScans.set(input.scanId, values);
    };
    const base = { event, gate, recorded, decision, at };
    if (credential.kind === 'none') {
      const code = input.code;
      let elsewhere = elsewhereByCode.get(code);
      if (!elsewhereByCode.has(code)) elsewhereByCode.set(code, (elsewhere = yield* credentialElsewhere(tx, code, credential.uid)));
      if (!recorded) record(elsewhere?.tagId ? credential.uid! : code, elsewhere?.ticketId ?? null, elsewhere?.tagId ?? null, 0);
      plan.outcomes.push({ ...base, credential: { kind: 'none', uid: credential.uid, elsewhere } });
      continue;
    }
    const { state } = credential;
    const row = state.row;
    let after = presenceOf(row);
    if (!recorded) {
      let flag: Flag = 0;
      if (decision.reason === 'admitted') {
        const scan: AdmittedScan = { id: input.scanId, direction: input.direction, at, gateId: gate?.id ?? null };
        ({ after, flag } = admit(plan, newScans, factTx, state, scan, event));
      }
      if (credential.kind === 'ticket') {
        const ticket = state.row as ScannedTicket;
        record(ticket.reference, ticket.id, null, flag);
        state.row = { ...ticket, ...ticketAfterScan(ticket, after, at, gate?.id ?? null) };
        state.written = true;
      } else {
        const tag = state.row as ScannedTag;
        record(tag.uid, null, tag.id, flag);
        if (decision.reason === 'admitted') {
          state.row = { ...tag, entry_count: after.entryCount, inside_since: after.insideSince, inside_gate_id: after.insideGateId };
          state.written = true;
        }
      }
    }
    plan.outcomes.push(
      credential.kind === 'ticket'
        ? { ...base, credential: { kind: 'ticket', row: row as ScannedTicket, after } }
        : { ...base, credential: { kind: 'tag', row: row as ScannedTag, after } },
    );
  }
  return plan;
}

function stateOf<Row extends CredentialRow>(states: Map<string, CredentialState<Row>>, row: Row): CredentialState<Row> {
  let state = states.get(row.id);
  if (!state) states.set(row.id, (state = { row, admitted: undefined, written: false }));
  return state;
}

/** Each credential's admitted scans, in scan order (the order the store reads them in). */
function attachAdmitted(
  states: Map<string, CredentialState<CredentialRow>>,
  ids: readonly string[],
  rows: readonly (FlaggedScan & { ticket_id: string | null; tag_id: string | null })[],
) {
  for (const id of ids) states.get(id)!.admitted = [];
  for (const { ticket_id: ticketId, tag_id: tagId, ...scan } of rows) states.get((tagId ?? ticketId)!)?.admitted?.push(scan);
  for (const id of ids) states.get(id)!.admitted!.sort(scanOrder);
}

/**
 * A fact's admission, in memory: the credential's presence after it (merged against its latest
 * admission, presence.ts) and its flag; an admission earlier than the latest works the flags of the
 * credential's admissions out again (double-admission.ts), each newly flagged scan reported on
 * this fact's envelope, as recording the fact alone does.
 */
function admit(
  plan: ScanFactsPlan,
  newScans: Map<string, ScanValues>,
  tx: CommandTx,
  state: CredentialState<CredentialRow>,
  scan: AdmittedScan,
  event: EventRow,
): { after: PresenceState; flag: Flag } {
  const { row } = state;
  const admitted = state.admitted!;
  const current = presenceOf(row);
  const latest = admitted.at(-1) ?? null;
  const after = mergeAdmittedScan(current, scan, latest);
  const report = (flagged: Pick<AdmittedScan, 'id' | 'at'>, refusal: Parameters<typeof doubleAdmissionConflict>[2]) =>
    plan.alerts.push(conflictAlert(tx, event.id, doubleAdmissionConflict(row, flagged, refusal, event.time_zone)));
  let flag: Flag;
  if (latest === null || scanOrder(scan, latest) > 0) {
    const refusal = inOrderRefusal(typeRules(row), current, scan, true);
    flag = refusal === null ? 0 : 1;
    if (refusal !== null) report(scan, refusal);
    admitted.push({ ...scan, double_admission: flag });
    return { after, flag };
  }
  const { changed, refusal } = reflaggedAdmissions(admitted, scan, typeRules(row), row.entry_count);
  for (const { prior, flag: priorFlag, refusal: priorRefusal } of changed) {
    prior.double_admission = priorFlag;
    const pending = newScans.get(prior.id);
    if (pending) pending[12] = priorFlag;
    else plan.flags.set(prior.id, priorFlag);
    if (priorRefusal !== undefined) report(prior, priorRefusal);
  }
  flag = refusal === undefined ? 0 : 1;
  if (refusal !== undefined) report(scan, refusal);
  admitted.push({ ...scan, double_admission: flag });
  admitted.sort(scanOrder);
  return { after, flag };
}

/** Writes what planScanFacts decided: a few multi-row statements, none when there is nothing to write. */
export function* writeScanFacts(tx: CommandTx, plan: ScanFactsPlan) {
  if (plan.scans.length > 0) yield* tx.run(insertScans.with(plan.scans.flat()));
  for (const flag of [0, 1] as const) {
    const ids = [...plan.flags].flatMap(([id, value]) => (value === flag ? [id] : []));
    if (ids.length > 0) yield* tx.run(setDoubleAdmissions.with([flag], ids));
  }
  const tickets = [...plan.tickets.values()].flatMap(({ row, written }): TicketScanValues[] =>
    written ? [[row.id, row.entry_count, row.inside_since, row.inside_gate_id, row.first_scan_at, row.last_scan_at, row.last_scan_gate_id]] : [],
  );
  if (tickets.length > 0) yield* tx.run(updateTicketScans.with(tickets.flat()));
  const tags = [...plan.tags.values()].flatMap(({ row, written }): TagPresenceValues[] => (written ? [[row.id, row.entry_count, row.inside_since, row.inside_gate_id]] : []));
  if (tags.length > 0) yield* tx.run(updateTagPresences.with(tags.flat()));
  yield* storeAlerts(tx, plan.alerts);
}

/** Records the facts, in their order: planScanFacts, then writeScanFacts. Each fact's outcome, in order. */
export function* recordScanFacts(tx: CommandTx, facts: readonly ScanFact[]): Body<FactOutcome[]> {
  const plan = yield* planScanFacts(tx, facts);
  yield* writeScanFacts(tx, plan);
  return plan.outcomes;
}
