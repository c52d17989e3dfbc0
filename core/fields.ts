import { z } from 'zod';

/**
 * Field schemas shared by every boundary (API inputs, CSV rows, CLI arguments), so an e-mail or a
 * tag UID is accepted or refused the same way everywhere.
 */

/**
 * Internationalised addresses (RFC 6531: `chloé.martin@example.fr`, `用户@例子.广告`) are valid:
 * the local part is any run of characters but spaces, `@`, quotes and the RFC 5322 specials, in
 * dot-separated pieces; the domain is labels of letters (any script), digits and inner hyphens,
 * ending in a letter-only top-level label or its punycode (`xn--p1ai`). zod's default e-mail
 * pattern is ASCII only and refused those customers.
 */
const emailLocalPiece = String.raw`[^\s\p{Cc}@"(),:;<>[\]\\.]+`;
const emailDomainLabel = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]{0,61}[\p{L}\p{N}\p{M}])?`;
export const emailPattern = new RegExp(
  `^(?=[^@]{1,64}@)${emailLocalPiece}(?:\\.${emailLocalPiece})*@(?:${emailDomainLabel}\\.)+(?:[\\p{L}\\p{M}]{2,63}|xn--[a-z0-9-]{1,59})$`,
  'u',
);

/**
 * E-mail addresses are stored trimmed and lower-cased: matching (import, search) is by equality.
 * The one e-mail rule of every boundary (customers.update, import rows, alternative e-mails).
 */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Invalid email address', pattern: emailPattern }).max(254, 'Email is longer than 254 characters'));

/** Ticket references are the exact barcode text; only surrounding whitespace is dropped. */
export const ticketReferenceSchema = z
  .string()
  .trim()
  .min(1, 'Ticket reference is empty')
  .max(128, 'Ticket reference is longer than 128 characters')
  .refine((text) => !/\p{Cc}/u.test(text), 'Ticket reference contains control characters');

/** NFC UIDs of ISO 14443A tags: 4, 7 or 10 bytes. */
export const tagUidByteLengths = [4, 7, 10] as const;

/**
 * Normalises any common spelling of a tag UID (`04:a2:24:b2`, `04 A2 24 B2`, `04-a2-24-b2`,
 * `04a224b2`) to upper-case hex without separators. Returns undefined when the text is not a UID.
 */
export function normalizeTagUid(text: string): string | undefined {
  const compact = text.trim().replace(/[\s:.-]/g, '');
  if (!/^(0x)?[0-9a-fA-F]+$/.test(compact)) return undefined;
  const hex = compact.replace(/^0x/i, '').toUpperCase();
  if (!(tagUidByteLengths as readonly number[]).includes(hex.length / 2)) return undefined;
  return hex;
}

export const tagUidSchema = z.string().transform((text, ctx) => {
  const uid = normalizeTagUid(text);
  if (uid === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'Tag UID must be 4, 7 or 10 bytes of hex (e.g. 04:A2:24:B2:C3:3F:80)',
    });
    return z.NEVER;
  }
  return uid;
});

/** Optional free-text profile field: trimmed, empty becomes null. */
export const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is longer than ${max} characters`)
    .transform((text) => (text === '' ? null : text))
    .nullable();

export const idSchema = z.string().trim().min(1, 'Id is empty').max(64, 'Id is longer than 64 characters');
