import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { directionSchema } from '../checkin/checkin.contract.ts';
import { idSchema } from '../fields.ts';

/**
 * Station lock (issue 5): a steward's terminal shows only the check-in screen until a supervisor
 * PIN unlocks it. The PIN is checked by the core against a hash kept in this terminal's store; the
 * renderer never holds it beyond the keystrokes that send it.
 */

export const stationPinSchema = z.string().regex(/^\d{4,12}$/, 'PIN must be 4 to 12 digits');

export const stationStatusSchema = z.object({
  /** A supervisor PIN exists on this terminal (it can be locked). */
  pinSet: z.boolean(),
  locked: z.boolean(),
  /** When the station was locked (ISO UTC), null when unlocked. */
  lockedAt: z.string().nullable(),
  /** After too many wrong PINs, no PIN is checked before this instant (ISO UTC). */
  lockoutUntil: z.string().nullable(),
  /** Wrong PINs since the last right one or the last lockout. */
  failedAttempts: z.number().int(),
  /** Wrong PINs that start a lockout, and how long it lasts. */
  maxAttempts: z.number().int(),
  lockoutSeconds: z.number().int(),
});
export type StationStatus = z.infer<typeof stationStatusSchema>;

export const stationSetPinInput = z.object({
  pin: stationPinSchema,
  /** Required when a PIN exists already: only who knows it may change it. */
  currentPin: stationPinSchema.optional(),
});

export const stationUnlockInput = z.object({ pin: stationPinSchema });

/**
 * Whether this terminal's readers check people in (issue 8, item 6). While they do, the host
 * decides and records every tag presented and barcode scanned on them at `gateId` in `direction`,
 * whether or not a screen is open; otherwise reader events go to the screens (customer cards,
 * wristband activation).
 */
export const checkinModeSchema = z.object({
  active: z.boolean(),
  gateId: z.string().nullable(),
  direction: directionSchema,
});
export type CheckinMode = z.infer<typeof checkinModeSchema>;

export const stationSetCheckinModeInput = z.object({
  active: z.boolean(),
  gateId: idSchema.nullable(),
  direction: directionSchema,
});

export const stationOperations = {
  'station.status': operation({
    roles: rolesFrom('steward'),
    input: z.object({}),
    output: stationStatusSchema,
    summary: 'Whether this terminal is locked to the check-in screen, and whether a supervisor PIN is set',
  }),
  'station.setPin': operation({
    roles: rolesFrom('supervisor'),
    input: stationSetPinInput,
    output: stationStatusSchema,
    summary: "Sets or changes this terminal's supervisor PIN (the current one is needed to change it)",
  }),
  'station.lock': operation({
    roles: rolesFrom('steward'),
    input: z.object({}),
    output: stationStatusSchema,
    summary: 'Locks this terminal to the check-in screen until a supervisor PIN unlocks it',
  }),
  'station.unlock': operation({
    roles: rolesFrom('steward'),
    input: stationUnlockInput,
    output: stationStatusSchema,
    summary: 'Unlocks this terminal with the supervisor PIN (a few wrong PINs start a short lockout)',
  }),
  'station.checkinMode': operation({
    roles: rolesFrom('steward'),
    input: z.object({}),
    output: checkinModeSchema,
    summary: "Whether this terminal's readers check people in, at which gate and in which direction",
  }),
  'station.setCheckinMode': operation({
    roles: rolesFrom('steward'),
    input: stationSetCheckinModeInput,
    output: checkinModeSchema,
    summary: "Turns check-in by this terminal's readers on (at a gate, entry or exit) or off; the host then records their scans itself",
  }),
} as const;
