import { createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * Device tokens and enrolment codes. Both are stored only as their SHA-256: they are random (256
 * bits for a token, 60 bits for a code that also expires and works once), so a slow hash would add
 * nothing but latency to every request.
 */

export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

// Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is not mistaken.
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A one-time enrolment code staff type on a terminal: 12 characters in groups of four (`7KQ2-M9XD-40TB`). */
export function newEnrolmentCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += codeAlphabet[randomInt(codeAlphabet.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** A code as typed: case, spaces and dashes do not matter, and O/I/L read as 0/1/1. */
export function normalisedEnrolmentCode(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The n-th short code (1, 2, …) in the code alphabet, behind the role's letter: `G1`, `B7`, `BZ`, `B10`. */
export function shortCodeNumber(role: string, n: number): string {
  let digits = '';
  for (let rest = n; rest > 0; rest = Math.floor(rest / 32)) digits = codeAlphabet[rest % 32] + digits;
  return `${role.slice(0, 1).toUpperCase()}${digits || '0'}`;
}
