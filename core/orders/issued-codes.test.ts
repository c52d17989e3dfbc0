import { describe, expect, it } from 'vitest';
import { newGiftCardCode, nextTicketReference } from './issued-codes.ts';

describe('codes a sale hands out', () => {
  it('draws gift-card codes of unambiguous symbols, drawing again while a code is taken', () => {
    const drawn: string[] = [];
    const taken = new Set<string>();
    // The module holds no random source (command bodies draw from the envelope): the test brings one.
    const randomBytes = (count: number) => crypto.getRandomValues(new Uint8Array(count));
    for (let n = 0; n < 200; n++) {
      const code = newGiftCardCode((candidate) => taken.has(candidate), randomBytes);
      expect(code).toMatch(/^GC-[A-HJKMNP-TW-Z2-9]{4}-[A-HJKMNP-TW-Z2-9]{4}$/);
      taken.add(code);
      drawn.push(code);
    }
    expect(new Set(drawn).size).toBe(200);

    // A source that repeats itself: the first code is taken, so the next draw is used.
    let call = 0;
    const bytes = () => new Uint8Array(8).fill(call++ === 0 ? 0 : 1);
    expect(newGiftCardCode((code) => code === 'GC-AAAA-AAAA', bytes)).toBe('GC-BBBB-BBBB');
    // Bytes that would favour some symbols (≥ 232 for 29 symbols) are skipped.
    let skewed = 0;
    expect(newGiftCardCode(() => false, () => new Uint8Array(8).fill(skewed++ === 0 ? 255 : 2))).toBe('GC-CCCC-CCCC');
    expect(() => newGiftCardCode(() => true, () => new Uint8Array(8))).toThrow(/No free gift-card code/);
  });

  it('numbers ticket references after the order number, past references already held', () => {
    const held = new Set(['B000007-2', 'B000007-3']);
    const first = nextTicketReference('B000007', 0, (reference) => held.has(reference));
    expect(first).toEqual({ reference: 'B000007-1', n: 1 });
    expect(nextTicketReference('B000007', first.n, (reference) => held.has(reference))).toEqual({ reference: 'B000007-4', n: 4 });
  });
});
