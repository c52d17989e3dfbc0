import type { Direction } from './reasons.ts';

export interface AdmittedScan {
  id: string;
  direction: Direction;
  at: string;
  gateId: string | null;
}

export interface PresenceState {
  entryCount: number;
  insideSince: string | null;
  insideGateId: string | null;
  /** The first admitted entry (a ticket's first_scan_at: "valid, used"). */
  firstEntryAt: string | null;
}

/** Scans in the order facts are ordered in (DESIGN.md section 6): their time, then their id. */
export function scanOrder(a: Pick<AdmittedScan, 'at' | 'id'>, b: Pick<AdmittedScan, 'at' | 'id'>): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const earlier = (a: string | null, b: string): string => (a !== null && a <= b ? a : b);

/**
 * Merges one admitted scan into a credential's presence, whenever it arrives: entries add up (so a
 * wristband keeps the entries its ticket carried over), the first entry is the earliest, and being
 * inside follows the latest admitted scan by time. `latest` is the latest admitted scan merged
 * before this one (null if none). Merging the same scans in any order gives the same presence, so
 * scans merged from several gates agree on every machine.
 */
export function mergeAdmittedScan(state: PresenceState, scan: AdmittedScan, latest: Pick<AdmittedScan, 'at' | 'id'> | null): PresenceState {
  const entry = scan.direction === 'entry';
  const isLatest = latest === null || scanOrder(scan, latest) > 0;
  return {
    entryCount: state.entryCount + (entry ? 1 : 0),
    firstEntryAt: entry ? earlier(state.firstEntryAt, scan.at) : state.firstEntryAt,
    insideSince: isLatest ? (entry ? scan.at : null) : state.insideSince,
    insideGateId: isLatest ? (entry ? scan.gateId : null) : state.insideGateId,
  };
}

export const noPresence: PresenceState = { entryCount: 0, insideSince: null, insideGateId: null, firstEntryAt: null };

/**
 * A credential's check-in state from its admitted, not undone scans, in whatever order they arrive
 * (on top of `start`, what a wristband carried over): the state the scan command reaches by merging
 * them one by one (and migration 0004 folds from existing scans). Used when an undo takes a scan
 * out of the sequence.
 */
export function presenceFromScans(scans: readonly AdmittedScan[], start: PresenceState = noPresence): PresenceState {
  let state = start;
  let latest: AdmittedScan | null = null;
  for (const scan of scans) {
    state = mergeAdmittedScan(state, scan, latest);
    if (latest === null || scanOrder(scan, latest) > 0) latest = scan;
  }
  return state;
}
