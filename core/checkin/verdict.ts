import type { InvalidReason } from '../../db/schema.ts';
import { formatEventTime, windowBoundMs } from './event-time.ts';
import type { Direction, RejectionReason, ScanReason, ScanWarning } from './reasons.ts';

/**
 * The check-in rules of DESIGN.md section 7 as pure functions: given what the store knows about a
 * credential and where and when it is scanned, the verdict. No I/O, so every rule and its order is
 * tested alone (verdict.test.ts) and the scan command only gathers facts and records the result.
 */

/** The ticket type's admission rules. */
export interface TypeRules {
  validFrom: string | null;
  validUntil: string | null;
  maxEntries: number | null;
  reentryAllowed: boolean;
  /** Gate ids that admit the type; null admits at every gate. */
  gateIds: readonly string[] | null;
}

/** Where the credential stands: admitted entries so far and the entry not yet followed by an exit. */
export interface Presence {
  entryCount: number;
  insideSince: string | null;
}

export type TicketFacts = {
  invalidReason: InvalidReason | null;
  banned: boolean;
  redeemed: boolean;
} & Presence;

export type TagFacts = { banned: boolean; active: boolean } & Presence;

export interface Situation {
  direction: Direction;
  /** The gate scanning; null for a terminal without one (a supervisor's manual check-in). */
  gateId: string | null;
  nowMs: number;
  timeZone: string;
}

export interface Decision {
  reason: ScanReason;
  warning: ScanWarning | null;
}

const admit = (warning: ScanWarning | null = null): Decision => ({ reason: 'admitted', warning });
const reject = (reason: RejectionReason): Decision => ({ reason, warning: null });

/** Exits need no rights, only presence: a credential that is not inside cannot leave. */
function exitDecision(presence: Presence): Decision {
  return presence.insideSince !== null ? admit() : reject('not_inside');
}

/** Validity window (bounds inclusive), then the gate; undefined when the type's rules admit. */
function typeRulesDecision(rules: TypeRules, situation: Situation): Decision | undefined {
  const from = rules.validFrom === null ? undefined : windowBoundMs(rules.validFrom, situation.timeZone);
  const until = rules.validUntil === null ? undefined : windowBoundMs(rules.validUntil, situation.timeZone);
  if (from !== undefined && situation.nowMs < from) return reject('not_yet_valid');
  if (until !== undefined && situation.nowMs > until) return reject('expired');
  if (situation.gateId !== null && rules.gateIds !== null && !rules.gateIds.includes(situation.gateId)) return reject('wrong_gate');
  return undefined;
}

/** Already inside; max entries reached; re-entry after an exit allowed or not (in that order). */
export function entryDecision(rules: TypeRules, presence: Presence): Decision {
  if (presence.insideSince !== null) return reject('already_inside');
  if (rules.maxEntries !== null && presence.entryCount >= rules.maxEntries) return reject('max_entries_reached');
  if (presence.entryCount > 0) return rules.reentryAllowed ? admit('re_entry') : reject('reentry_not_allowed');
  return admit();
}

/** A ticket found in the scanning event: invalid → banned → redeemed → type rules → entry rules. */
export function decideTicket(ticket: TicketFacts, rules: TypeRules, situation: Situation): Decision {
  if (situation.direction === 'exit') return exitDecision(ticket);
  if (ticket.invalidReason !== null) return reject(ticket.invalidReason);
  if (ticket.banned) return reject('banned');
  if (ticket.redeemed) return reject('redeemed');
  return typeRulesDecision(rules, situation) ?? entryDecision(rules, ticket);
}

/** A tag found in the scanning event: banned → not the active tag → type rules → entry rules. */
export function decideTag(tag: TagFacts, rules: TypeRules, situation: Situation): Decision {
  if (situation.direction === 'exit') return exitDecision(tag);
  if (tag.banned) return reject('banned');
  if (!tag.active) return reject('tag_inactive');
  return typeRulesDecision(rules, situation) ?? entryDecision(rules, tag);
}

/** ticket_types.gate_ids as stored (JSON array or null); anything unreadable admits nowhere. */
export function parseGateIds(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** What the message may mention beyond the reason. */
export interface MessageDetails {
  /** "Ticket TCK-1" or "Wristband 04A224B2". */
  credential: string;
  direction: Direction;
  timeZone: string;
  ticketType: string | null;
  rules: TypeRules | null;
  entryCount: number;
  insideSince: string | null;
  insideGate: string | null;
  gate: string | null;
  otherEventName: string | null;
  /** Why an inactive tag stopped being active ('replaced', 'deactivated'). */
  inactiveReason: string | null;
}

const when = (iso: string | null, timeZone: string) => (iso === null ? 'an unknown time' : formatEventTime(Date.parse(iso), timeZone));
const windowText = (bound: string | null, timeZone: string) => {
  const ms = bound === null ? undefined : windowBoundMs(bound, timeZone);
  return ms === undefined ? 'unknown' : formatEventTime(ms, timeZone);
};

/** The one line staff read on the verdict screen. */
export function verdictMessage(reason: ScanReason, warning: ScanWarning | null, details: MessageDetails): string {
  const { credential, timeZone } = details;
  const at = details.insideGate ? ` at ${details.insideGate}` : '';
  switch (reason) {
    case 'admitted':
      if (details.direction === 'exit') return `Exit: ${credential} is out`;
      if (warning === 're_entry') return `Re-entry: ${credential} was inside before (entry ${details.entryCount + 1})`;
      return `Admitted: ${credential}${details.ticketType ? ` (${details.ticketType})` : ''}`;
    case 'unknown':
      return 'Unknown code: no ticket or wristband of this event has it';
    case 'other_event':
      return `${credential} is for another event${details.otherEventName ? ` (${details.otherEventName})` : ''}`;
    case 'canceled':
    case 'refunded':
    case 'transferred':
      return `${credential} is invalid: ${reason}`;
    case 'banned':
      return `${credential} is banned`;
    case 'redeemed':
      return `${credential} was exchanged for a wristband: scan the wristband`;
    case 'not_yet_valid':
      return `${credential} is not valid yet: valid from ${windowText(details.rules?.validFrom ?? null, timeZone)}`;
    case 'expired':
      return `${credential} is no longer valid: valid until ${windowText(details.rules?.validUntil ?? null, timeZone)}`;
    case 'wrong_gate':
      return `${credential}${details.ticketType ? ` (${details.ticketType})` : ''} is not admitted at ${details.gate ?? 'this gate'}`;
    case 'already_inside':
      return `Already inside: ${credential} entered ${when(details.insideSince, timeZone)}${at}`;
    case 'max_entries_reached':
      return `${credential} has used all its ${details.rules?.maxEntries ?? 0} ${details.rules?.maxEntries === 1 ? 'entry' : 'entries'}`;
    case 'reentry_not_allowed':
      return `No re-entry: ${credential} went in once and left; ${details.ticketType ?? 'its type'} does not allow re-entry`;
    case 'tag_inactive':
      return `${credential} is not the active wristband${details.inactiveReason === 'replaced' ? ': it was replaced' : ''}`;
    case 'not_inside':
      return `${credential} is not inside: nothing to exit`;
  }
}
