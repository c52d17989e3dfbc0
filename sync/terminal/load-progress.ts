import { systemClock, type Clock } from '../../core/clock.ts';
import type { SyncProgress } from '../../core/sync/sync.contract.ts';

/**
 * The figures of a long load (the first load of an event) as the Sync screen's progress bar shows
 * them (`sync.progress` events): rows so far, rows per second since the start, and the time left
 * at that speed when the total is known. The loader calls `at(rows)` after each page; reporting is
 * limited to one event every `everyMs` (and the last one), so a fast load does not flood the screens.
 */
export interface LoadProgress {
  /** The figures after `rows` rows (of `table`), or null when too soon after the last reported ones. */
  at(rows: number, table?: string | null): SyncProgress | null;
  /** The last figures, marked done. */
  done(rows: number): SyncProgress;
}

export function loadProgress(options: { totalRows: number | null; clock?: Clock; everyMs?: number }): LoadProgress {
  const clock = options.clock ?? systemClock;
  const everyMs = options.everyMs ?? 250;
  const started = clock.now().getTime();
  let reportedAt = Number.NEGATIVE_INFINITY;
  let table: string | null = null;

  function figures(rows: number, done: boolean): SyncProgress {
    const elapsedSeconds = Math.max(0.001, (clock.now().getTime() - started) / 1000);
    const rowsPerSecond = rows / elapsedSeconds;
    const total = options.totalRows;
    const secondsLeft = done ? 0 : total === null || rowsPerSecond === 0 ? null : Math.max(0, (total - rows) / rowsPerSecond);
    return { phase: 'first-load', table, rows, totalRows: total, rowsPerSecond: Math.round(rowsPerSecond), secondsLeft: secondsLeft === null ? null : Math.round(secondsLeft * 10) / 10, done };
  }

  return {
    at(rows, inTable) {
      if (inTable !== undefined) table = inTable;
      const now = clock.now().getTime();
      if (now - reportedAt < everyMs) return null;
      reportedAt = now;
      return figures(rows, false);
    },
    done: (rows) => figures(rows, true),
  };
}
