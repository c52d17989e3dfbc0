import { systemClock, type Clock } from '../../core/clock.ts';
import { conflict, DomainError } from '../../core/errors.ts';
import { deviceId, recordServerOffset, setTerminalShortCode } from '../../core/terminal/state.ts';
import type { Store } from '../../db/store.ts';
import { SyncClient, UnexpectedAnswer } from './client.ts';
import { readDeviceToken, writeDeviceToken } from './device-token.ts';
import { recordEnrolment, terminalEnrolment, type Enrolment } from './state.ts';

/**
 * Enrolment on the terminal's side (DESIGN.md section 6): the terminal trades a one-time code for
 * its token, short code and role, under the device id its envelopes already carry (commands made
 * before enrolling push like any other). The token goes to its file first and the enrolment is
 * recorded last, in one transaction with the short code: a terminal that fails between the two
 * is not enrolled, and says so.
 */

export interface EnrolTerminalOptions {
  /** The data folder, where the token file goes. */
  dataDir: string;
  serverUrl: string;
  code: string;
  /** How the server's `devices list` names this terminal. */
  name?: string | undefined;
  /** Enrol again although enrolled (another server, or a new code after the server revoked this terminal). */
  force?: boolean;
  clock?: Clock;
  fetch?: typeof fetch;
}

export interface EnrolledTerminal extends Enrolment {
  shortCode: string;
}

export async function enrolTerminal(store: Store, options: EnrolTerminalOptions): Promise<EnrolledTerminal> {
  const clock = options.clock ?? systemClock;
  const existing = terminalEnrolment(store);
  if (existing && !options.force) {
    throw conflict(
      `This terminal is enrolled already (at ${existing.serverUrl} as ${existing.role}, since ${existing.enrolledAt}): add --force to enrol it again`,
      'force',
    );
  }
  const client = terminalClient(store, options.serverUrl, null, options);
  const device = deviceId(store);
  const answer = await client.enrol({ code: options.code, deviceId: device, ...(options.name ? { name: options.name } : {}) });
  // The envelopes this terminal wrote carry its id: under another one the server would refuse them all.
  if (answer.deviceId !== device) throw new UnexpectedAnswer(`The server enrolled this terminal as device ${answer.deviceId}, not as ${device}: is it a Box Office server of this version?`);
  writeDeviceToken(options.dataDir, answer.token);
  const enrolment: Enrolment = {
    serverUrl: client.serverUrl,
    deviceId: answer.deviceId,
    role: answer.role,
    eventId: answer.eventId,
    name: options.name ?? null,
    enrolledAt: clock.now().toISOString(),
  };
  store.immediateTransaction(() => {
    recordEnrolment(store, enrolment);
    setTerminalShortCode(store, answer.shortCode);
  });
  return { ...enrolment, shortCode: answer.shortCode };
}

/**
 * A client speaking for this enrolled terminal: its server, its token, and every answer's clock
 * offset recorded for the HLC (core/terminal/state.ts). Refused, with what to do, when the
 * terminal is not enrolled or its token file is gone.
 */
export function enrolledClient(store: Store, dataDir: string, options: { clock?: Clock; fetch?: typeof fetch } = {}): SyncClient {
  const enrolment = terminalEnrolment(store);
  if (!enrolment) throw new DomainError('NOT_FOUND', 'This terminal is not enrolled: box-office sync enrol --server URL --code CODE');
  const token = readDeviceToken(dataDir);
  if (token === null) throw new DomainError('NOT_FOUND', `This terminal's device token is missing from ${dataDir}: enrol it again with a new code (box-office sync enrol --force)`);
  return terminalClient(store, enrolment.serverUrl, token, options);
}

/** Every answer's clock offset goes to the store, where the HLC reads it (core/terminal/state.ts). */
function terminalClient(store: Store, serverUrl: string, token: string | null, options: { clock?: Clock | undefined; fetch?: typeof fetch | undefined }): SyncClient {
  return new SyncClient({
    serverUrl,
    token,
    clock: options.clock ?? systemClock,
    onServerOffset: (offsetMs) => recordServerOffset(store, offsetMs),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
