import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestCore } from '../../test/fixtures/store.ts';
import { deviceId, formatHlc, parseHlc, tickHlc, type HlcStamp } from './state.ts';

describe('terminal state', () => {
  it('creates the device id once and keeps it', () => {
    const { store } = createTestCore();
    const id = deviceId(store);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(deviceId(store)).toBe(id);
  });

  it('hybrid logical clock stamps strictly increase whatever the wall clock does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000_000_000_000 }), { minLength: 1, maxLength: 50 }), (walls) => {
        let previous: HlcStamp | undefined;
        const texts: string[] = [];
        for (const wall of walls) {
          previous = tickHlc(previous, wall);
          texts.push(formatHlc(previous, 'device'));
        }
        for (let i = 1; i < texts.length; i++) expect(texts[i]! > texts[i - 1]!).toBe(true);
        expect(parseHlc(texts.at(-1)!)).toEqual(previous);
      }),
    );
  });
});
