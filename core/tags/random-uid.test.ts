import { describe, expect, it } from 'vitest';
import { wristbandUidSchema } from './tags.contract.ts';
import { isRandomUid } from './random-uid.ts';

describe('isRandomUid', () => {
  it('flags 4-byte UIDs starting 0x08 only', () => {
    expect(isRandomUid('08A1B2C3')).toBe(true);
    expect(isRandomUid('04A1B2C3')).toBe(false);
    expect(isRandomUid('80A1B2C3')).toBe(false);
    expect(isRandomUid('08A1B2C3D4E5F6')).toBe(false);
  });
});

describe('wristbandUidSchema', () => {
  it('normalises any spelling and refuses random UIDs', () => {
    expect(wristbandUidSchema.parse('04:a2:24:b2:c3:3f:80')).toBe('04A224B2C33F80');
    expect(wristbandUidSchema.safeParse('08 a1 b2 c3').success).toBe(false);
    expect(wristbandUidSchema.safeParse('04:A2:ZZ').success).toBe(false);
  });
});
