import type { Store } from '../../db/store.ts';
import { readStationValue, stationKeys } from './station-state.ts';

/**
 * What a locked station still answers (DESIGN.md section 6a): check-in and unlocking. Core refuses
 * everything else with FORBIDDEN whatever the host, so a locked gate tablet cannot be used to look
 * people up or sell from another window or a script. The check-in screen needs the reads below to
 * show verdicts, counts and its gate; signing in and out stays possible so stewards can change shifts.
 */
export const operationsAtLockedStation: ReadonlySet<string> = new Set([
  'checkin.scan',
  'checkin.latestVerdict',
  'checkin.counts',
  'gates.list',
  'events.list',
  'events.dataFolder',
  'events.demoCodes',
  'readers.list',
  'readers.simulate',
  'station.status',
  'station.unlock',
  'station.lock',
  'station.checkinMode',
  'station.setCheckinMode',
  'operators.current',
  'operators.signIn',
  'operators.signOut',
  // The status indicator: a locked gate still shows whether it reaches the server and how many
  // scans wait (counts only, nobody's data).
  'sync.status',
]);

export const lockedStationMessage = 'This station is locked to check-in: a supervisor unlocks it with the station PIN';

export function stationLocked(store: Store): boolean {
  return readStationValue(store, stationKeys.lockedAt) !== null;
}
