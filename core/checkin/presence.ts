import type { Direction } from './reasons.ts';

export interface AdmittedScan {
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

/**
 * A credential's check-in state from its admitted, not undone scans in time order: the same
 * state the scan command keeps on the ticket or tag row step by step (and migration 0004 folds
 * from existing scans). Used when an undo takes a scan out of the sequence.
 */
export function presenceFromScans(scans: readonly AdmittedScan[]): PresenceState {
  const state: PresenceState = { entryCount: 0, insideSince: null, insideGateId: null, firstEntryAt: null };
  for (const scan of scans) {
    if (scan.direction === 'entry') {
      state.entryCount += 1;
      state.insideSince = scan.at;
      state.insideGateId = scan.gateId;
      state.firstEntryAt ??= scan.at;
    } else {
      state.insideSince = null;
      state.insideGateId = null;
    }
  }
  return state;
}
