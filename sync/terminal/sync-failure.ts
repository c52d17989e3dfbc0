import { plural } from '../../core/cli-text.ts';
import type { ApiError, ErrorCode } from '../../core/errors.ts';
import { DeviceRefused, ServerRefused, ServerUnreachable, UnexpectedAnswer, UpgradeRequired, type SyncError } from './client.ts';

/**
 * A sync that failed, as the API and the CLI report it: one error with a code and a message for
 * the person at the terminal. Nothing the terminal holds is lost by a failed sync, and the message
 * says how many commands wait for the next one.
 */

const codeOfStatus: Readonly<Record<number, ErrorCode>> = { 400: 'VALIDATION', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT' };

/** `field` names the input the error is about when the server's answer does not (the address, for an unreachable server). */
export function syncFailure(error: SyncError, waiting: number, fields: { serverUrl?: string } = {}): ApiError {
  const kept = waiting > 0 ? `: nothing was lost, ${plural(waiting, 'command')} ${waiting === 1 ? 'waits' : 'wait'} on this terminal for the next sync` : '';
  if (error instanceof ServerUnreachable) return { code: 'UNAVAILABLE', message: `${error.message}${kept}`, ...(fields.serverUrl ? { field: fields.serverUrl } : {}) };
  if (error instanceof DeviceRefused) return { code: 'FORBIDDEN', message: `The server refused this terminal: ${error.message}` };
  if (error instanceof UpgradeRequired) return { code: 'UNAVAILABLE', message: error.message };
  if (error instanceof ServerRefused) {
    return { code: codeOfStatus[error.status] ?? 'UNAVAILABLE', message: `The server refused: ${error.message}`, ...(error.field ? { field: error.field } : {}) };
  }
  // Something answered that is not a Box Office server of this version: the address is the suspect.
  if (error instanceof UnexpectedAnswer) return { code: 'UNAVAILABLE', message: error.message, ...(fields.serverUrl ? { field: fields.serverUrl } : {}) };
  return { code: 'UNAVAILABLE', message: error.message };
}
