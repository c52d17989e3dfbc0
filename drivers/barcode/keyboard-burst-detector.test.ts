import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyboardBurstDetector, defaultBurstOptions, type BurstDecision, type KeyStroke } from './keyboard-burst-detector.ts';

/** Keystrokes of `text` then `terminator`, each `gaps[i]` ms after the previous one. */
function typed(text: string, gaps: (i: number) => number, start = 1000, terminator = 'Enter'): KeyStroke[] {
  const keys = [...[...text], terminator];
  let time = start;
  return keys.map((key, i) => {
    time += gaps(i);
    return { key, time };
  });
}

function run(strokes: KeyStroke[]): BurstDecision[] {
  const detector = createKeyboardBurstDetector();
  return strokes.map((stroke) => detector.key(stroke)).filter((decision) => decision.kind === 'scan');
}

describe('keyboard burst detector', () => {
  it('reports a scanner burst ending with Enter', () => {
    expect(run(typed('BO-2026-000123', () => 8))).toEqual([{ kind: 'scan', text: 'BO-2026-000123', terminator: 'Enter' }]);
  });

  it('reports a burst ending with Tab, and Shift presses between characters do not break it', () => {
    const strokes: KeyStroke[] = [];
    let time = 0;
    for (const char of 'AbCd') {
      if (char === char.toUpperCase()) strokes.push({ key: 'Shift', time: (time += 4) });
      strokes.push({ key: char, time: (time += 6) });
    }
    strokes.push({ key: 'Tab', time: time + 7 });
    expect(run(strokes)).toEqual([{ kind: 'scan', text: 'AbCd', terminator: 'Tab' }]);
  });

  it('does not report human typing, even fast typing', () => {
    expect(run(typed('anna berg', () => 120))).toEqual([]);
    expect(run(typed('anna', () => 85))).toEqual([]);
  });

  it('does not report short fast runs (key rollover) or a slow Enter after a burst', () => {
    expect(run(typed('ab', () => 10))).toEqual([]);
    expect(run(typed('abc', () => 10))).toEqual([]);
    const slowEnter = typed('BO-12345', (i) => (i === 8 ? 400 : 10));
    expect(run(slowEnter)).toEqual([]);
  });

  it('only the fast run counts when a scan follows typing', () => {
    const person = typed('xy', () => 150, 0, 'z');
    const scanner = typed('BO-77', () => 9, person[person.length - 1]!.time + 300);
    expect(run([...person, ...scanner])).toEqual([{ kind: 'scan', text: 'BO-77', terminator: 'Enter' }]);
  });

  it('breaks the run on shortcuts, navigation keys and input-method composition', () => {
    // Each side of the break is shorter than a barcode, so neither half is reported either.
    const strokes = typed('BO-123', () => 8);
    strokes.splice(3, 0, { key: 'v', time: strokes[2]!.time + 1, modified: true });
    expect(run(strokes)).toEqual([]);
    const arrow = typed('BO-123', () => 8);
    arrow.splice(3, 0, { key: 'ArrowLeft', time: arrow[2]!.time + 1 });
    expect(run(arrow)).toEqual([]);
    const composing = typed('BO-123', () => 8).map((stroke, i) => (i === 3 ? { ...stroke, composing: true } : stroke));
    expect(run(composing)).toEqual([]);
  });

  it('keeps the pending text for the caller and forgets it after a reset', () => {
    const detector = createKeyboardBurstDetector();
    detector.key({ key: 'B', time: 0 });
    detector.key({ key: 'O', time: 8 });
    expect(detector.pendingText).toBe('BO');
    detector.reset();
    expect(detector.pendingText).toBe('');
  });

  it('never reports a scan for human key timings (80-200 ms), whatever is typed', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), fc.constantFrom('Enter', 'Tab', 'Shift', 'Backspace', 'ArrowDown')),
            gap: fc.integer({ min: 80, max: 200 }),
          }),
          { maxLength: 200 },
        ),
        (keys) => {
          let time = 0;
          const strokes = keys.map(({ key, gap }) => ({ key, time: (time += gap) }));
          expect(run(strokes)).toEqual([]);
        },
      ),
    );
  });

  it('always reports a scanner burst (5-15 ms per key) with the exact text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: defaultBurstOptions.minLength, maxLength: 60, unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/:.'.split('')) }),
        fc.array(fc.integer({ min: 5, max: 15 }), { minLength: 61, maxLength: 61 }),
        fc.constantFrom('Enter', 'Tab'),
        (text, gaps, terminator) => {
          expect(run(typed(text, (i) => gaps[i]!, 5000, terminator))).toEqual([{ kind: 'scan', text, terminator }]);
        },
      ),
    );
  });
});
