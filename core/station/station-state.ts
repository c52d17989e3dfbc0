import type { Store } from '../../db/store.ts';
import { freeAttempts, waitAfterFailures } from '../operators/lockout.ts';
import type { StationStatus } from './station.contract.ts';

/**
 * The station lock lives in terminal_state (this terminal's own store, not synced rows): a reload
 * or a restart of the app keeps a locked station locked.
 */
export const stationKeys = {
  pinHash: 'station.pin_hash',
  lockedAt: 'station.locked_at',
  failedAttempts: 'station.failed_attempts',
  lockoutUntil: 'station.lockout_until',
  /** JSON `{ gateId, direction }` while the station is in check-in mode; absent otherwise (checkin-mode.ts). */
  checkinMode: 'station.checkin_mode',
} as const;
type StationKey = (typeof stationKeys)[keyof typeof stationKeys];

export const maxPinAttempts = freeAttempts;

export function readStationValue(store: Store, key: StationKey): string | null {
  const row = store.statement('SELECT value FROM terminal_state WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

/** null removes the key. Call inside a command's transaction. */
export function writeStationValue(store: Store, key: StationKey, value: string | null): void {
  if (value === null) store.statement('DELETE FROM terminal_state WHERE key = ?').run(key);
  else store.statement('INSERT INTO terminal_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * The lock as staff see it at `now`; an expired lockout reads as none. Wrong PINs count until the
 * right one: the fifth blocks entry for 30 s and each further one doubles the wait (up to an hour,
 * core/operators/lockout.ts), so guessing a supervisor PIN at a locked gate takes over a year.
 * `lockoutSeconds` is the block the next wrong PIN would start.
 */
export function stationStatus(store: Store, now: Date): StationStatus {
  const lockoutUntil = readStationValue(store, stationKeys.lockoutUntil);
  const lockedAt = readStationValue(store, stationKeys.lockedAt);
  const failedAttempts = Number(readStationValue(store, stationKeys.failedAttempts) ?? '0');
  return {
    pinSet: readStationValue(store, stationKeys.pinHash) !== null,
    locked: lockedAt !== null,
    lockedAt,
    lockoutUntil: lockoutUntil !== null && Date.parse(lockoutUntil) > now.getTime() ? lockoutUntil : null,
    failedAttempts,
    maxAttempts: maxPinAttempts,
    lockoutSeconds: waitAfterFailures(Math.max(failedAttempts + 1, maxPinAttempts)),
  };
}
