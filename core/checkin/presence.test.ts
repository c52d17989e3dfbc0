import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeAdmittedScan, noPresence, presenceFromScans, scanOrder } from './presence.ts';

const admittedScan = fc.record({
  id: fc.uuid(),
  direction: fc.constantFrom('entry' as const, 'exit' as const),
  // Few distinct times, so scans at the same millisecond (two gates) are common.
  at: fc.integer({ min: 0, max: 20 }).map((second) => new Date(Date.UTC(2026, 6, 10, 20, 0, second)).toISOString()),
  gateId: fc.constantFrom('north', 'south', null),
});
const scans = fc.uniqueArray(admittedScan, { selector: (scan) => scan.id, maxLength: 12 });
const base = fc.record({
  entryCount: fc.integer({ min: 0, max: 5 }),
  insideSince: fc.constantFrom(null, '2026-07-10T19:00:00.000Z'),
  insideGateId: fc.constantFrom(null, 'north'),
  firstEntryAt: fc.constantFrom(null, '2026-07-10T18:00:00.000Z'),
});

describe('presence derived from admitted scans', () => {
  it('is the same on every machine, whatever order the scans of several gates arrive in', () => {
    fc.assert(
      fc.property(base, scans, fc.func(fc.integer()), (start, merged, shuffleKey) => {
        const shuffled = [...merged].sort((a, b) => shuffleKey(a.id) - shuffleKey(b.id));
        // As a terminal receives them: each merged against the latest admitted one it already holds.
        expect(presenceFromScans(shuffled, start)).toEqual(presenceFromScans(merged, start));
        expect(presenceFromScans(shuffled)).toEqual(presenceFromScans(merged));
      }),
    );
  });

  it('counts every admitted entry, the earliest as the first, and is inside after the latest scan if it is an entry', () => {
    fc.assert(
      fc.property(scans, (merged) => {
        const state = presenceFromScans(merged);
        const entries = merged.filter((scan) => scan.direction === 'entry');
        const latest = [...merged].sort(scanOrder).at(-1);
        expect(state.entryCount).toBe(entries.length);
        expect(state.firstEntryAt).toBe(entries.map((scan) => scan.at).sort()[0] ?? null);
        expect(state.insideSince).toBe(latest?.direction === 'entry' ? latest.at : null);
        expect(state.insideGateId).toBe(latest?.direction === 'entry' ? latest.gateId : null);
      }),
    );
  });

  it('adds to what a wristband carried over from its ticket', () => {
    const carried = { entryCount: 1, insideSince: '2026-07-10T19:00:00.000Z', insideGateId: 'north', firstEntryAt: '2026-07-10T19:00:00.000Z' };
    const out = mergeAdmittedScan(carried, { id: 'a', direction: 'exit', at: '2026-07-10T21:00:00.000Z', gateId: 'south' }, null);
    expect(out).toEqual({ ...carried, insideSince: null, insideGateId: null });
    expect(mergeAdmittedScan(out, { id: 'b', direction: 'entry', at: '2026-07-10T22:00:00.000Z', gateId: 'south' }, { id: 'a', at: '2026-07-10T21:00:00.000Z' })).toEqual({
      entryCount: 2,
      insideSince: '2026-07-10T22:00:00.000Z',
      insideGateId: 'south',
      firstEntryAt: '2026-07-10T19:00:00.000Z',
    });
    expect(presenceFromScans([])).toEqual(noPresence);
  });
});
