import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Supervisor PINs are short, so the stored form is a salted scrypt hash (slow on purpose) and the
 * wrong-PIN lockout does the rest. Format: `scrypt$N$r$p$salt$hash` (base64), so the cost can be
 * raised later without breaking stored PINs.
 */
const cost = { N: 16_384, r: 8, p: 1 } as const;
const keyLength = 32;

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, keyLength, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function pinMatches(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
