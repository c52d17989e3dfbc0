import { describe, expect, it } from 'vitest';
import { fromHex } from './frame-codec.ts';
import { atqaWithUidSize, isRandomUid, tagKind } from './tag-kind.ts';

describe('tagKind', () => {
  it.each([
    ['0044', 0x00, 'ntag'],
    ['0084', 0x00, 'ntag'],
    ['0004', 0x08, 'classic'],
    ['0044', 0x08, 'classic'],
    ['0002', 0x18, 'classic'],
    ['0004', 0x09, 'classic'],
    ['0004', 0x88, 'classic'],
    ['0344', 0x20, 'desfire'],
    ['0304', 0x20, 'desfire'],
    ['0384', 0x20, 'desfire'],
    ['0004', 0x20, 'iso14443a'],
    ['0048', 0x28, 'iso14443a'],
    ['0044', 0x04, 'unknown'],
    ['0044', 0x40, 'unknown'],
  ] as const)('ATQA %s with SAK %i is %s', (atqa, sak, kind) => {
    expect(tagKind(fromHex(atqa), sak)).toBe(kind);
  });
});

describe('isRandomUid', () => {
  it('flags 4-byte UIDs starting 08 only', () => {
    expect(isRandomUid(fromHex('08 12 34 56'))).toBe(true);
    expect(isRandomUid(fromHex('A1 12 34 56'))).toBe(false);
    expect(isRandomUid(fromHex('08 12 34 56 78 9A BC'))).toBe(false);
  });
});

describe('atqaWithUidSize', () => {
  it('sets the UID size bits for 4, 7 and 10 bytes', () => {
    expect(atqaWithUidSize(0x0044, 4)).toBe(0x0004);
    expect(atqaWithUidSize(0x0004, 7)).toBe(0x0044);
    expect(atqaWithUidSize(0x0344, 10)).toBe(0x0384);
  });
});
