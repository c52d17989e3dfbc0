import { describe, expect, it } from 'vitest';
import { settableClock } from '../../test/fixtures/sync-server.ts';
import { loadProgress } from './load-progress.ts';

describe('a load’s progress', () => {
  it('gives rows per second since the start and the time left at that speed, at most every interval', () => {
    const clock = settableClock('2026-07-10T12:00:00.000Z');
    const progress = loadProgress({ totalRows: 1_000_000, clock, everyMs: 250 });
    clock.set('2026-07-10T12:00:02.000Z');
    expect(progress.at(200_000, 'tickets')).toEqual({ phase: 'first-load', table: 'tickets', rows: 200_000, totalRows: 1_000_000, rowsPerSecond: 100_000, secondsLeft: 8, done: false });
    clock.set('2026-07-10T12:00:02.100Z');
    expect(progress.at(210_000)).toBeNull();
    clock.set('2026-07-10T12:00:04.000Z');
    expect(progress.at(500_000, 'tags')).toMatchObject({ table: 'tags', rowsPerSecond: 125_000, secondsLeft: 4 });
    clock.set('2026-07-10T12:00:08.000Z');
    expect(progress.done(1_000_000)).toEqual({ phase: 'first-load', table: 'tags', rows: 1_000_000, totalRows: 1_000_000, rowsPerSecond: 125_000, secondsLeft: 0, done: true });
  });

  it('gives no time left while the total is unknown', () => {
    const clock = settableClock('2026-07-10T12:00:00.000Z');
    const progress = loadProgress({ totalRows: null, clock });
    clock.set('2026-07-10T12:00:01.000Z');
    expect(progress.at(5000)).toMatchObject({ rows: 5000, totalRows: null, rowsPerSecond: 5000, secondsLeft: null });
  });
});
