import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The device token enrolment gave, in a file of its own in the data folder, readable by its owner
 * only (0600). Not in the SQLite store: a store is what gets copied to support or attached to a
 * bug report, and the token is everything the server asks of this terminal. The file is
 * written beside and renamed over the old one, so a crash leaves the old token or the new, never half of one.
 */

export const deviceTokenFileName = 'sync-device-token';

export function deviceTokenFile(dataDir: string): string {
  return join(dataDir, deviceTokenFileName);
}

/** The token, or null when this data folder holds none. */
export function readDeviceToken(dataDir: string): string | null {
  try {
    const token = readFileSync(deviceTokenFile(dataDir), 'utf8').trim();
    return token === '' ? null : token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function writeDeviceToken(dataDir: string, token: string): void {
  const file = deviceTokenFile(dataDir);
  const next = `${file}.next`;
  // A leftover from a crash is removed first: 'wx' creates the file afresh, so its mode is 0600
  // (an existing file would keep whatever mode it had).
  rmSync(next, { force: true });
  writeFileSync(next, `${token}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(next, file);
}
