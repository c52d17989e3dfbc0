import type { Flag } from '../../db/schema.ts';
import { mergeAdmittedScan, noPresence, scanOrder, type AdmittedScan, type PresenceState } from './presence.ts';
import type { RejectionReason } from './reasons.ts';
import { entryDecision, type TypeRules } from './verdict.ts';

/**
 * DESIGN.md section 6, the same ticket admitted at two offline gates: scans are facts, so both are
 * kept and both count for presence; the later one, by scan time, is flagged a double admission
 * and counted on reports. The flags are a pure function of the credential's merged scans, so every
 * store that holds the same scans flags the same ones, whatever order they arrived in.
 */

export type EntryRules = Pick<TypeRules, 'maxEntries' | 'reentryAllowed'>;

/** Why the entry rules would have refused an entry at `presence` (already inside, max entries, no re-entry); null when they admit. */
export function entryRefusal(rules: EntryRules, presence: Pick<PresenceState, 'entryCount' | 'insideSince'>): RejectionReason | null {
  const decision = entryDecision({ ...rules, validFrom: null, validUntil: null, gateIds: null }, presence);
  return decision.reason === 'admitted' ? null : decision.reason;
}

/**
 * The double admissions among a credential's admitted, not undone scans: walked in scan order from
 * `start` (what the credential carried before its first scan here), each entry the rules would have
 * refused at the presence the scans before it give. Exits are never flagged; an exit another gate
 * recorded between two entries makes the second a re-entry, not a double admission.
 */
export function doubleAdmissions(scans: readonly AdmittedScan[], rules: EntryRules, start: PresenceState): Map<string, RejectionReason> {
  const flagged = new Map<string, RejectionReason>();
  let state = start;
  let latest: AdmittedScan | null = null;
  for (const scan of [...scans].sort(scanOrder)) {
    const refusal = scan.direction === 'entry' ? entryRefusal(rules, state) : null;
    if (refusal !== null) flagged.set(scan.id, refusal);
    state = mergeAdmittedScan(state, scan, latest);
    latest = scan;
  }
  return flagged;
}

const why: Readonly<Partial<Record<RejectionReason, string>>> = {
  already_inside: 'it was inside',
  max_entries_reached: 'it had no entries left',
  reentry_not_allowed: 'it could not re-enter',
};

/** What staff read: which credential, when (in the event's time), and which rule the offline gate could not apply. */
export function doubleAdmissionMessage(credential: string, at: string, refusal: RejectionReason): string {
  return `${credential}: double admission at ${at}. Another gate, offline, had admitted it already, so this entry came while ${why[refusal] ?? refusal}; both scans are kept`;
}

/**
 * Why an admission later than every admission of its credential is a double admission (null when
 * it is not): it meets the presence the credential holds. Only a fact (decided at another, offline
 * gate) can be an entry the rules refuse: the terminal deciding now refused it.
 */
export function inOrderRefusal(rules: EntryRules, current: PresenceState, scan: AdmittedScan, fact: boolean): RejectionReason | null {
  return fact && scan.direction === 'entry' ? entryRefusal(rules, current) : null;
}

/** An admitted, not undone scan with its flag, as the store holds it. */
export interface FlaggedScan extends AdmittedScan {
  double_admission: Flag;
}

/**
 * An admission earlier than its credential's latest changes what came after it: the flags of all
 * the credential's admissions (`earlier`, in scan order) worked out again. `entryCount` is the
 * credential's count before this scan, so what it carried before its own scans (a wristband, its
 * ticket's entries) is counted. Gives the earlier scans whose flag changes, in order, and why this
 * scan is a double admission (undefined when it is not).
 */
export function reflaggedAdmissions(earlier: readonly FlaggedScan[], scan: AdmittedScan, rules: EntryRules, entryCount: number) {
  const carried = entryCount - earlier.filter((prior) => prior.direction === 'entry').length;
  const flags = doubleAdmissions([...earlier, scan], rules, { ...noPresence, entryCount: Math.max(0, carried) });
  const changed: { prior: FlaggedScan; flag: Flag; refusal: RejectionReason | undefined }[] = [];
  for (const prior of earlier) {
    const refusal = flags.get(prior.id);
    const flag: Flag = refusal === undefined ? 0 : 1;
    if (flag !== prior.double_admission) changed.push({ prior, flag, refusal });
  }
  return { changed, refusal: flags.get(scan.id) };
}
