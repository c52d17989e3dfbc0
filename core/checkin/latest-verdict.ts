import type { Store } from '../../db/store.ts';
import type { CheckinVerdict } from './checkin.contract.ts';

/**
 * The latest verdict this terminal decided, for a check-in screen that (re)connects: after a
 * reload or a dropped connection it shows what the people at the gate are looking at, not READY.
 * Kept in memory per store: a verdict is for the person in front of the gate now, so after a
 * restart of the app the screen rightly starts at READY. The scan itself is always in `scans`.
 */
const latest = new WeakMap<Store, CheckinVerdict>();

export function rememberLatestVerdict(store: Store, verdict: CheckinVerdict): void {
  const shown = latest.get(store);
  // UUIDv7 scan ids sort by time: a slower scan answering late never replaces a newer verdict.
  if (!shown || verdict.scanId > shown.scanId) latest.set(store, verdict);
}

export function latestVerdict(store: Store): CheckinVerdict | null {
  return latest.get(store) ?? null;
}
