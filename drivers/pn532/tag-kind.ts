import type { TagKind } from '../reader.ts';

/**
 * The tag family from SAK (SEL_RES) and ATQA (SENS_RES, most significant byte first), after NXP
 * AN10833 "MIFARE type identification procedure". NTAG21x and MIFARE Ultralight answer the same
 * SAK 00 / ATQA 0044; only a GET_VERSION exchange tells them apart, which this driver does not
 * send, so that family is reported as 'ntag' (what wristbands carry).
 */
export function tagKind(atqa: Uint8Array, sak: number): TagKind {
  // The cascade bit: the UID is not complete, so this SAK is not a final answer.
  if ((sak & 0x04) !== 0) return 'unknown';
  if (sak === 0x00) return 'ntag';
  if ([0x01, 0x08, 0x09, 0x10, 0x11, 0x18, 0x88].includes(sak)) return 'classic';
  if ((sak & 0x20) !== 0) {
    // Bits 7-6 of ATQA's low byte give the UID size, not the product: mask them out.
    const product = (((atqa[0] ?? 0) << 8) | (atqa[1] ?? 0)) & 0xff3f;
    return product === 0x0304 ? 'desfire' : 'iso14443a';
  }
  return 'unknown';
}

/** 4-byte UIDs starting 0x08 are random per activation (ISO 14443-3 RID): phones, bank cards. */
export const isRandomUid = (uid: Uint8Array): boolean => uid.length === 4 && uid[0] === 0x08;

/** ATQA bits 7-6 for a UID of 4, 7 or 10 bytes (single, double, triple size). */
export function atqaWithUidSize(atqa: number, uidLength: number): number {
  const size = uidLength === 10 ? 0b10 : uidLength === 7 ? 0b01 : 0b00;
  return (atqa & 0xff3f) | (size << 6);
}
