import type { SyncProgress } from '../../core/sync/sync.contract.ts';
import type { FirstLoadProgress } from './first-load.ts';

/**
 * A first load's progress (sync/terminal/first-load.ts reports it after each page and phase) as the
 * Sync screen's bar shows it: the `sync.progress` event, rows so far, speed and time left.
 */
export function syncProgressOf(progress: FirstLoadProgress): SyncProgress {
  return {
    phase: 'first-load',
    table: progress.table,
    rows: progress.rowsLoaded,
    totalRows: progress.rowsTotal,
    rowsPerSecond: Math.round(progress.rowsPerSecond),
    secondsLeft: progress.secondsLeft === null ? null : Math.round(progress.secondsLeft * 10) / 10,
    done: progress.phase === 'done',
  };
}
