import { describe, expect, it } from 'vitest';
import { activationWins, concurrentActivationMessage } from './activation.ts';

const stamp = (wallMs: number, counter: number, device: string) => `${String(wallMs).padStart(15, '0')}:${String(counter).padStart(6, '0')}:${device}`;

describe('the latest activation by HLC wins (DESIGN.md section 6)', () => {
  it('wins against nothing unseen, and against unseen activations stamped earlier or not at all', () => {
    const own = stamp(1_000, 0, 'b');
    expect(activationWins(own, [])).toBe(true);
    expect(activationWins(own, [{ activatedHlc: stamp(999, 5, 'a') }])).toBe(true);
    expect(activationWins(own, [{ activatedHlc: null }])).toBe(true);
  });

  it('loses to an unseen activation stamped later, by time, counter, then device', () => {
    expect(activationWins(stamp(1_000, 0, 'b'), [{ activatedHlc: stamp(1_001, 0, 'a') }])).toBe(false);
    expect(activationWins(stamp(1_000, 0, 'b'), [{ activatedHlc: stamp(1_000, 1, 'a') }])).toBe(false);
    expect(activationWins(stamp(1_000, 0, 'a'), [{ activatedHlc: stamp(1_000, 0, 'b') }])).toBe(false);
    expect(activationWins(stamp(1_000, 0, 'b'), [{ activatedHlc: stamp(1_000, 0, 'a') }])).toBe(true);
  });

  it('names which wristband stays active', () => {
    expect(concurrentActivationMessage('04B2', '04A1')).toBe(
      'Wristbands 04A1 and 04B2 were activated for one customer on two terminals at once: 04B2, activated later, is the active one and 04A1 is replaced',
    );
  });
});
