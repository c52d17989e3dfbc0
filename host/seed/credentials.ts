import type { Random } from './random.ts';

/**
 * Ticket references and tag UIDs for synthetic data: random-looking but unique by construction
 * (part of each is a bijection of the row's index), so a million of them need no "seen" set and
 * never collide whatever the seed.
 */

const base36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const referenceSpace = 36 ** 6;
/** Coprime with 36, so `index * multiplier mod 36^6` visits every value once. */
const referenceMultiplier = 1_000_003;

export const maxSyntheticTickets = referenceSpace;
export const maxSyntheticTags = 2 ** 24;

/** `BO-` + 10 upper-case alphanumerics, e.g. `BO-7Q2K0ZP1XA`; `prefix` lets other generators stay apart. */
export function ticketReference(random: Random, index: number, offset: number, prefix = 'BO-'): string {
  let unique = (index * referenceMultiplier + offset) % referenceSpace;
  const chars: string[] = [];
  for (let i = 0; i < 10; i++) {
    // Positions 1, 3, 5 and 8 are random; the other six spell the index's permutation.
    if (i === 1 || i === 3 || i === 5 || i === 8) {
      chars.push(base36[random.int(36)]!);
    } else {
      chars.push(base36[unique % 36]!);
      unique = Math.floor(unique / 36);
    }
  }
  return prefix + chars.join('');
}

const byte = (value: number) => (value & 0xff).toString(16).toUpperCase().padStart(2, '0');

/**
 * A 7-byte ISO 14443A UID as NXP wristbands carry it: first byte 04 (NXP's manufacturer code),
 * stored as upper-case hex without separators.
 */
export function tagUid(random: Random, index: number, offset: number): string {
  // 0x9E3779 is odd, so multiplying modulo 2^24 is a bijection of the index.
  const unique = (index * 0x9e3779 + offset) % maxSyntheticTags;
  const noise = random.uint32();
  return `04${byte(noise)}${byte(unique >>> 16)}${byte(noise >>> 8)}${byte(unique >>> 8)}${byte(noise >>> 16)}${byte(unique)}`;
}
