/**
 * ISO 14443A readers see a random 4-byte UID starting 0x08 on phones and contactless bank cards:
 * it changes on every tap, so binding one to a customer would create a credential that never
 * opens a gate again. Wristbands carry fixed UIDs (4, 7 or 10 bytes).
 */
export function isRandomUid(uid: string): boolean {
  return uid.length === 8 && uid.startsWith('08');
}
