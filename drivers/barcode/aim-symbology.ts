import type { Symbology } from '../reader.ts';

/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + a code character naming the symbology + a
 * modifier character. Scanners configured to send them put the three characters before the data
 * (serial) or in a field of their own (HID POS). Pure: never throws.
 */

export interface AimIdentifier {
  /** The three characters as sent, e.g. `]Q1`. */
  id: string;
  symbology: Symbology;
}

export interface AimPrefixed extends AimIdentifier {
  /** The data after the identifier. */
  text: string;
}

const byCodeCharacter: Record<string, Symbology> = {
  A: 'code39',
  C: 'code128',
  d: 'datamatrix',
  I: 'interleaved2of5',
  L: 'pdf417',
  Q: 'qr',
  z: 'aztec',
};

const identifierPattern = /^\][A-Za-z][0-9A-Za-z]/;

/** True when the text starts with something shaped like an AIM identifier. */
export function startsWithAimIdentifier(text: string): boolean {
  return identifierPattern.test(text);
}

/**
 * The symbology an identifier names. EAN/UPC share the code character `E`: the modifier tells
 * EAN-8 (`4`) from the 13-digit family, and within that family the data length tells UPC-A (sent
 * as 12 digits by scanners that drop the leading zero) and UPC-E (8 digits) from EAN-13.
 */
export function symbologyOf(id: string, data = ''): Symbology {
  if (!identifierPattern.test(id)) return 'unknown';
  const code = id.charAt(1);
  const modifier = id.charAt(2);
  if (code === 'E') {
    if (modifier === '4') return 'ean8';
    if (modifier === '0' || modifier === '3') {
      const digits = /^\d+/.exec(data)?.[0].length ?? 0;
      if (digits === 12) return 'upca';
      if (digits === 8 || digits === 7) return 'upce';
      return 'ean13';
    }
    return 'unknown';
  }
  return byCodeCharacter[code] ?? 'unknown';
}

/** Splits `]Q1DATA` into the identifier and the data; undefined when the text has no identifier. */
export function parseAimPrefix(text: string): AimPrefixed | undefined {
  if (!identifierPattern.test(text)) return undefined;
  const id = text.slice(0, 3);
  const rest = text.slice(3);
  return { id, symbology: symbologyOf(id, rest), text: rest };
}
