import { serverOffsetMs, terminalShortCode } from '../../core/terminal/state.ts';
import type { Store } from '../../db/store.ts';
import type { DeviceRole } from '../protocol.ts';
import { readDeviceToken } from './device-token.ts';
import { commandCount, settledCommands, type SettledCommand } from './outbox.ts';
import { lastPushAt, terminalEnrolment } from './state.ts';

/**
 * Where this terminal stands with the central server, read from its store alone (no request):
 * what `box-office sync status` prints and, later, what the status indicator shows.
 */

export interface SyncStatus {
  enrolled: boolean;
  serverUrl: string | null;
  deviceId: string | null;
  role: DeviceRole | null;
  /** The short code in this terminal's order numbers and ticket references (the enrolled one, else its own). */
  shortCode: string;
  /** The event the terminal was enrolled for; null: every event, or not enrolled. */
  eventId: string | null;
  enrolledAt: string | null;
  /** False when enrolled but the token file is gone: the terminal must enrol again. */
  hasToken: boolean;
  /** Commands waiting for the server. */
  waiting: number;
  /** Commands the server refused, with its reason. */
  rejected: SettledCommand[];
  /** Commands applied with a conflict (a double admission, a replaced tag). */
  withConflict: number;
  lastPushAt: string | null;
  /** The server's clock minus this terminal's, in ms, as last measured (0 before any sync). */
  clockOffsetMs: number;
}

export function syncStatus(store: Store, dataDir: string): SyncStatus {
  const enrolment = terminalEnrolment(store);
  return {
    enrolled: enrolment !== null,
    serverUrl: enrolment?.serverUrl ?? null,
    deviceId: enrolment?.deviceId ?? null,
    role: enrolment?.role ?? null,
    shortCode: terminalShortCode(store),
    eventId: enrolment?.eventId ?? null,
    enrolledAt: enrolment?.enrolledAt ?? null,
    hasToken: readDeviceToken(dataDir) !== null,
    waiting: commandCount(store, 'pending'),
    rejected: settledCommands(store, ['rejected']),
    withConflict: commandCount(store, 'applied_with_conflict'),
    lastPushAt: lastPushAt(store),
    clockOffsetMs: serverOffsetMs(store),
  };
}
