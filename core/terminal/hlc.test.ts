import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_HLC_AHEAD_MS,
  MAX_HLC_COUNTER,
  compareHlc,
  correctedTime,
  formatHlc,
  parseHlc,
  receiveHlc,
  serverOffset,
  tickHlc,
  type HlcStamp,
} from './hlc.ts';

const wall = fc.integer({ min: 0, max: 4_000_000_000_000 });
const stamp = fc.record({ wallMs: wall, counter: fc.integer({ min: 0, max: MAX_HLC_COUNTER }) });

describe('hybrid logical clock', () => {
  it('ticks strictly forward whatever the wall clock does, and its text sorts the same way', () => {
    fc.assert(
      fc.property(fc.array(wall, { minLength: 1, maxLength: 50 }), (walls) => {
        let previous: HlcStamp | undefined;
        const texts: string[] = [];
        for (const now of walls) {
          previous = tickHlc(previous, now);
          texts.push(formatHlc(previous, 'device'));
        }
        for (let i = 1; i < texts.length; i++) expect(texts[i]! > texts[i - 1]!).toBe(true);
        expect(parseHlc(texts.at(-1)!)).toEqual(previous);
      }),
    );
  });

  it('never overflows its counter: at any counter value the next stamp is later and fits the text form', () => {
    fc.assert(
      fc.property(stamp, fc.integer({ min: 0, max: 4_000_000_000_000 }), (previous, now) => {
        const next = tickHlc(previous, Math.min(now, previous.wallMs));
        expect(compareHlc(next, previous)).toBeGreaterThan(0);
        expect(next.counter).toBeLessThanOrEqual(MAX_HLC_COUNTER);
        expect(formatHlc(next, 'd') > formatHlc(previous, 'd')).toBe(true);
        expect(parseHlc(formatHlc(next, 'd'))).toEqual(next);
      }),
    );
    expect(tickHlc({ wallMs: 1000, counter: MAX_HLC_COUNTER }, 1000)).toEqual({ wallMs: 1001, counter: 0 });
  });

  it('a received stamp within the bound puts the clock after both stamps', () => {
    fc.assert(
      fc.property(fc.option(stamp, { nil: undefined }), stamp, wall, (local, remote, now) => {
        fc.pre(remote.wallMs <= now + MAX_HLC_AHEAD_MS);
        const merged = receiveHlc(local, remote, now);
        expect(compareHlc(merged, remote)).toBeGreaterThan(0);
        if (local) expect(compareHlc(merged, local)).toBeGreaterThan(0);
      }),
    );
  });

  it('a received stamp far in the future drags the clock no further than the bound ahead of corrected time', () => {
    fc.assert(
      fc.property(wall, fc.integer({ min: 1, max: 10_000_000_000 }), (now, ahead) => {
        const remote = { wallMs: now + MAX_HLC_AHEAD_MS + ahead, counter: 7 };
        const merged = receiveHlc({ wallMs: now, counter: 0 }, remote, now);
        expect(merged.wallMs).toBeLessThanOrEqual(now + MAX_HLC_AHEAD_MS);
        // Local ticks after it still move forward.
        expect(compareHlc(tickHlc(merged, now), merged)).toBeGreaterThan(0);
      }),
    );
  });

  it('merging is order-independent: two devices receiving each other converge past both stamps', () => {
    const a = { wallMs: 5_000, counter: 3 };
    const b = { wallMs: 5_000, counter: 9 };
    expect(receiveHlc(a, b, 4_000)).toEqual({ wallMs: 5_000, counter: 10 });
    expect(receiveHlc(b, a, 4_000)).toEqual({ wallMs: 5_000, counter: 10 });
  });

  it('corrects local time by the offset measured against the server', () => {
    // Sent at 1000, answered at 1200 by a server saying 5100: the server is 5000 ms ahead.
    expect(serverOffset(5_100, 1_000, 1_200)).toBe(4_000);
    expect(correctedTime(2_000, 4_000)).toBe(6_000);
    expect(tickHlc(undefined, correctedTime(2_000, 4_000))).toEqual({ wallMs: 6_000, counter: 0 });
  });

  it('refuses text that is not a stamp', () => {
    expect(parseHlc('12:1:device')).toBeUndefined();
    expect(parseHlc('')).toBeUndefined();
  });
});
