import type { Store } from '../../db/store.ts';
import { DomainError } from '../errors.ts';

/**
 * Wrong-PIN lockout for signing in. Four-digit PINs are guessable, so after `freeAttempts` wrong
 * PINs every further one doubles the wait before the next try: 30 s, 1 min, 2 min... up to an
 * hour. Trying all 10,000 four-digit PINs then takes over a year, where "5 tries per 30 s" allowed
 * it in under 17 hours. Counted per typed name (in the store: a restart gives no fresh tries) and
 * per session (one window trying many names); checked before any PIN is hashed.
 */
export const freeAttempts = 5;
export const firstWaitSeconds = 30;
export const longestWaitSeconds = 3600;

/** Seconds to wait after `failures` wrong PINs in a row. */
export function waitAfterFailures(failures: number): number {
  if (failures < freeAttempts) return 0;
  return Math.min(longestWaitSeconds, firstWaitSeconds * 2 ** (failures - freeAttempts));
}

export function waitText(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

export function tooManyWrongPins(blockedUntil: number, now: number): DomainError {
  const seconds = Math.max(1, Math.ceil((blockedUntil - now) / 1000));
  return new DomainError('FORBIDDEN', `Too many wrong PINs: try again in ${waitText(seconds)}`, 'pin');
}

export interface NameFailures {
  failures: number;
  blockedUntil: number;
}

export function readNameFailures(store: Store, nameKey: string): NameFailures {
  const row = store.statement('SELECT failures, blocked_until FROM operator_sign_in_failures WHERE name_key = ?').get(nameKey) as
    | { failures: number; blocked_until: string | null }
    | undefined;
  if (!row) return { failures: 0, blockedUntil: 0 };
  return { failures: row.failures, blockedUntil: row.blocked_until === null ? 0 : Date.parse(row.blocked_until) };
}

/** Counts one more wrong PIN for the name (inside a command's transaction); returns the new count and block. */
export function recordNameFailure(store: Store, nameKey: string, now: string): NameFailures {
  const failures = readNameFailures(store, nameKey).failures + 1;
  const wait = waitAfterFailures(failures);
  const blockedUntil = wait === 0 ? null : new Date(Date.parse(now) + wait * 1000).toISOString();
  store
    .statement(
      `INSERT INTO operator_sign_in_failures (name_key, failures, blocked_until) VALUES (?, ?, ?)
       ON CONFLICT (name_key) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until`,
    )
    .run(nameKey, failures, blockedUntil);
  return { failures, blockedUntil: blockedUntil === null ? 0 : Date.parse(blockedUntil) };
}

export function clearNameFailures(store: Store, nameKey: string): void {
  store.statement('DELETE FROM operator_sign_in_failures WHERE name_key = ?').run(nameKey);
}
