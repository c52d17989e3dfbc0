import { z } from 'zod';
import type { Store } from '../../db/store.ts';
import { defineCommand, runCommand, type CommandScope, type CoreContext } from '../commands/command.ts';
import { DomainError, invalid } from '../errors.ts';
import { hashPin, pinMatches } from './pin-hash.ts';
import type { StationStatus } from './station.contract.ts';
import { waitAfterFailures, waitText } from '../operators/lockout.ts';
import { readStationValue, stationKeys, stationStatus, writeStationValue } from './station-state.ts';

/**
 * Commands of the station lock. They are local (terminal configuration): they never enter the
 * outbox. The PIN itself is never an argument: station.setPin takes its scrypt hash, computed
 * before the transaction (scrypt is slow on purpose), and the audit log records only that a PIN
 * was set or tried.
 */

const noInput = z.object({});

function auditStation(scope: CommandScope, before: StationStatus, after: StationStatus): void {
  const visible = (status: StationStatus) => ({ pinSet: status.pinSet, locked: status.locked, failedAttempts: status.failedAttempts, lockoutUntil: status.lockoutUntil });
  scope.audit({ entity: 'station', entityId: scope.deviceId, before: visible(before), after: visible(after) });
}

export const setPinCommand = defineCommand({
  name: 'station.setPin',
  version: 1,
  local: true,
  input: z.object({ pinHash: z.string().min(1) }),
  apply(scope, input) {
    const before = stationStatus(scope.store, new Date(scope.now));
    writeStationValue(scope.store, stationKeys.pinHash, input.pinHash);
    writeStationValue(scope.store, stationKeys.failedAttempts, null);
    const after = stationStatus(scope.store, new Date(scope.now));
    auditStation(scope, before, after);
    return after;
  },
});

export const lockCommand = defineCommand({
  name: 'station.lock',
  version: 1,
  local: true,
  input: noInput,
  apply(scope) {
    const before = stationStatus(scope.store, new Date(scope.now));
    if (!before.pinSet) throw invalid('Set a supervisor PIN before locking this station: nobody could unlock it', 'pin');
    if (before.locked) return before;
    writeStationValue(scope.store, stationKeys.lockedAt, scope.now);
    const after = stationStatus(scope.store, new Date(scope.now));
    auditStation(scope, before, after);
    return after;
  },
});

/** Records the outcome of one PIN check: a right PIN unlocks, a wrong one counts towards the lockout. */
function pinAttemptCommand(right: boolean) {
  return defineCommand({
    name: right ? 'station.unlock' : 'station.pinRefused',
    version: 1,
    local: true,
    input: noInput,
    apply(scope) {
      const now = new Date(scope.now);
      const before = stationStatus(scope.store, now);
      if (right) {
        writeStationValue(scope.store, stationKeys.failedAttempts, null);
        writeStationValue(scope.store, stationKeys.lockoutUntil, null);
        writeStationValue(scope.store, stationKeys.lockedAt, null);
      } else {
        const failed = before.failedAttempts + 1;
        writeStationValue(scope.store, stationKeys.failedAttempts, String(failed));
        const wait = waitAfterFailures(failed);
        if (wait > 0) writeStationValue(scope.store, stationKeys.lockoutUntil, new Date(now.getTime() + wait * 1000).toISOString());
      }
      const after = stationStatus(scope.store, now);
      auditStation(scope, before, after);
      return after;
    },
  });
}

export const unlockCommand = pinAttemptCommand(true);
export const pinRefusedCommand = pinAttemptCommand(false);

const forbidden = (message: string, field?: string) => new DomainError('FORBIDDEN', message, field);

function refuseDuringLockout(store: Store, now: Date): void {
  const status = stationStatus(store, now);
  if (status.lockoutUntil === null) return;
  const seconds = Math.max(1, Math.ceil((Date.parse(status.lockoutUntil) - now.getTime()) / 1000));
  throw forbidden(`Too many wrong PINs: try again in ${waitText(seconds)}`, 'pin');
}

function wrongPinMessage(status: StationStatus): string {
  const wait = waitAfterFailures(status.failedAttempts);
  if (wait > 0) return `Wrong PIN. Too many wrong PINs: PIN entry is blocked for ${waitText(wait)}`;
  const left = status.maxAttempts - status.failedAttempts;
  return `Wrong PIN (${left} ${left === 1 ? 'try' : 'tries'} left before a ${waitText(status.lockoutSeconds)} lockout)`;
}

/**
 * Checks `pin` against the stored hash. A wrong PIN is recorded (its own command, committed) and
 * throws FORBIDDEN; a right one unlocks when `unlock` is set.
 */
function checkPin(context: CoreContext, pin: string, field: string, unlock: boolean): void {
  refuseDuringLockout(context.store, context.clock.now());
  const stored = readStationValue(context.store, stationKeys.pinHash);
  if (stored === null) throw invalid('No supervisor PIN is set on this station', field);
  const right = pinMatches(pin, stored);
  if (right && !unlock) return;
  const status = runCommand(context, right ? unlockCommand : pinRefusedCommand, {});
  if (!right) throw forbidden(wrongPinMessage(status), field);
}

export function readStationStatus(context: CoreContext): StationStatus {
  return stationStatus(context.store, context.clock.now());
}

export function setStationPin(context: CoreContext, input: { pin: string; currentPin?: string | undefined }): StationStatus {
  const existing = readStationValue(context.store, stationKeys.pinHash);
  if (existing !== null) {
    if (input.currentPin === undefined) throw forbidden('Enter the current supervisor PIN to change it', 'currentPin');
    checkPin(context, input.currentPin, 'currentPin', false);
  }
  return runCommand(context, setPinCommand, { pinHash: hashPin(input.pin) });
}

export function lockStation(context: CoreContext): StationStatus {
  return runCommand(context, lockCommand, {});
}

export function unlockStation(context: CoreContext, input: { pin: string }): StationStatus {
  checkPin(context, input.pin, 'pin', true);
  return readStationStatus(context);
}
