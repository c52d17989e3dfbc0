import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../terminal/hlc.ts';
import { compareStamps, decideFieldWrites, formatFieldStamps, isOverwritten, parseFieldStamps, stampFields } from './last-writer-wins.ts';

const hlc = (wallMs: number, counter = 0, device = 'device-a') => formatHlc({ wallMs, counter }, device);

describe('last writer wins per field', () => {
  it('orders stamps by wall time, then counter, then device id', () => {
    expect(compareStamps(hlc(1000), hlc(2000))).toBeLessThan(0);
    expect(compareStamps(hlc(2000, 1), hlc(2000, 0))).toBeGreaterThan(0);
    expect(compareStamps(hlc(2000, 0, 'device-b'), hlc(2000, 0, 'device-a'))).toBeGreaterThan(0);
    expect(compareStamps(hlc(2000), hlc(2000))).toBe(0);
    // Wall times of different lengths still compare as numbers (the text form pads them).
    expect(compareStamps(hlc(999), hlc(1000))).toBeLessThan(0);
  });

  it('orders stamps as their text sorts (the text form is made to sort in clock order)', () => {
    const stamp = fc.record({ wallMs: fc.integer({ min: 0, max: 2 ** 40 }), counter: fc.integer({ min: 0, max: 999_999 }), device: fc.constantFrom('a', 'b', 'c1') });
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        const [left, right] = [formatHlc(a, a.device), formatHlc(b, b.device)];
        expect(Math.sign(compareStamps(left, right))).toBe(left < right ? -1 : left > right ? 1 : 0);
      }),
    );
  });

  it('puts text that is no HLC before every HLC', () => {
    expect(compareStamps('garbage', hlc(0))).toBeLessThan(0);
    expect(compareStamps(hlc(0), 'garbage')).toBeGreaterThan(0);
    expect(compareStamps('x', 'y')).toBe(0);
    expect(isOverwritten(hlc(5), 'garbage')).toBe(true);
    expect(isOverwritten('garbage', hlc(5))).toBe(false);
  });

  it('lets a write apply over no stamp, an older one or its own, never over a newer one', () => {
    expect(isOverwritten(undefined, hlc(10))).toBe(false);
    expect(isOverwritten(null, hlc(10))).toBe(false);
    expect(isOverwritten(hlc(9), hlc(10))).toBe(false);
    expect(isOverwritten(hlc(10), hlc(10))).toBe(false);
    expect(isOverwritten(hlc(11), hlc(10))).toBe(true);
  });

  it('splits an edit into the fields it writes and those a newer edit keeps', () => {
    const stamps = { phone: hlc(20), city: hlc(5) };
    expect(decideFieldWrites(stamps, hlc(10), ['phone', 'city', 'first_name'])).toEqual({ applied: ['city', 'first_name'], overwritten: ['phone'] });
    expect(decideFieldWrites(stamps, hlc(30), ['phone'])).toEqual({ applied: ['phone'], overwritten: [] });
  });

  it('stamps the written fields and keeps the others', () => {
    expect(stampFields({ phone: hlc(20) }, hlc(30), ['city'])).toEqual({ phone: hlc(20), city: hlc(30) });
    expect(stampFields({ phone: hlc(20) }, hlc(30), ['phone'])).toEqual({ phone: hlc(30) });
  });

  it('stores stamps as JSON with sorted keys, and reads bad text as no stamps', () => {
    expect(formatFieldStamps({ phone: 'b', city: 'a' })).toBe('{"city":"a","phone":"b"}');
    expect(parseFieldStamps('{"city":"a","phone":"b"}')).toEqual({ city: 'a', phone: 'b' });
    for (const bad of [null, '', 'not json', '[]', '{"phone": 3}', 'null']) expect(parseFieldStamps(bad)).toEqual({});
  });

  it('ends the same whichever of two edits of a field comes first (the rule, applied as a body does)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (wallA, wallB) => {
        const edits = [
          { hlc: hlc(wallA, 0, 'a'), value: 'A' },
          { hlc: hlc(wallB, 0, 'b'), value: 'B' },
        ];
        const apply = (order: typeof edits) => {
          let stamps = parseFieldStamps('{}');
          let value = 'initial';
          for (const edit of order) {
            if (decideFieldWrites(stamps, edit.hlc, ['phone']).applied.length === 0) continue;
            value = edit.value;
            stamps = stampFields(stamps, edit.hlc, ['phone']);
          }
          return { value, stamps: formatFieldStamps(stamps) };
        };
        expect(apply(edits)).toEqual(apply([...edits].reverse()));
      }),
    );
  });
});
