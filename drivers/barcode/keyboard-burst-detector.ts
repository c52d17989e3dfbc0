/**
 * Keyboard-wedge scanners type a barcode as keystrokes, 5-15 ms apart, and finish with Enter or
 * Tab; people type 80-200 ms apart. The detector watches key timings and reports a scan when a run
 * of at least `minLength` characters, each within `maxGapMs` of the one before, ends with Enter or
 * Tab within `maxGapMs` too. It only observes: the characters still reach whatever has focus, so
 * human typing is never swallowed; the caller may cancel the terminating key of a scan only.
 *
 * Pure (no DOM, no timers): the renderer imports it and feeds keydown events.
 */

export interface KeyStroke {
  /** KeyboardEvent.key. */
  key: string;
  /** KeyboardEvent.timeStamp, in milliseconds. */
  time: number;
  /** Ctrl, Alt or Meta held: a shortcut, never part of a barcode. */
  modified?: boolean;
  /** An input method is composing (IME): not a scanner. */
  composing?: boolean;
}

export interface BurstOptions {
  /** Longest gap between two keys of one scan. Must stay below human typing (80 ms). */
  maxGapMs: number;
  /** Shortest barcode reported: shorter fast runs are rollover of a quick typist. */
  minLength: number;
}

export const defaultBurstOptions: BurstOptions = { maxGapMs: 50, minLength: 4 };

export interface BurstState {
  text: string;
  lastTime: number | null;
}

export type BurstDecision = { kind: 'none' } | { kind: 'scan'; text: string; terminator: 'Enter' | 'Tab' };

export const emptyBurst: BurstState = { text: '', lastTime: null };

const none: BurstDecision = { kind: 'none' };

/** Keys a scanner presses between characters without typing anything. */
const silentKeys = new Set(['Shift']);

function isCharacter(key: string): boolean {
  return [...key].length === 1;
}

export function feedKey(state: BurstState, stroke: KeyStroke, options: BurstOptions = defaultBurstOptions): { state: BurstState; decision: BurstDecision } {
  if (silentKeys.has(stroke.key) && !stroke.modified) return { state, decision: none };
  if (stroke.modified || stroke.composing) return { state: emptyBurst, decision: none };
  const inTime = state.lastTime !== null && stroke.time - state.lastTime >= 0 && stroke.time - state.lastTime <= options.maxGapMs;

  if (stroke.key === 'Enter' || stroke.key === 'Tab') {
    if (inTime && [...state.text].length >= options.minLength) {
      return { state: emptyBurst, decision: { kind: 'scan', text: state.text, terminator: stroke.key } };
    }
    return { state: emptyBurst, decision: none };
  }
  if (isCharacter(stroke.key)) {
    const text = inTime ? state.text + stroke.key : stroke.key;
    return { state: { text, lastTime: stroke.time }, decision: none };
  }
  return { state: emptyBurst, decision: none };
}

export interface KeyboardBurstDetector {
  key(stroke: KeyStroke): BurstDecision;
  /** The characters of the run under way (the caller removes them from an input after a scan). */
  readonly pendingText: string;
  reset(): void;
}

export function createKeyboardBurstDetector(options: BurstOptions = defaultBurstOptions): KeyboardBurstDetector {
  let state = emptyBurst;
  return {
    key(stroke) {
      const next = feedKey(state, stroke, options);
      state = next.state;
      return next.decision;
    },
    get pendingText() {
      return state.text;
    },
    reset() {
      state = emptyBurst;
    },
  };
}
