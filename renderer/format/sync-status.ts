import type { SyncCheckSummary, SyncNowResult, SyncProgressEvent, SyncStatusView } from '../api/operations.ts';

/**
 * The sync status in a few words, for the indicator in the top bar and the Sync screen's summary
 * (DESIGN.md section 6: online/offline, commands waiting, last successful sync, rejected ones).
 */

export type SyncTone = 'good' | 'warn' | 'bad' | 'neutral';

const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "14:03" today, "12 Jul, 14:03" another day. */
export function syncTime(iso: string | null, now: Date = new Date()): string {
  if (!iso) return 'never';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'never';
  return at.toDateString() === now.toDateString() ? clockTime.format(at) : dayAndTime.format(at);
}

export function describeSync(status: SyncStatusView, now: Date = new Date()): { text: string; tone: SyncTone } {
  const rejected = status.rejected > 0 ? ` · ${count(status.rejected, 'rejected', 'rejected')}` : '';
  if (!status.enrolled) {
    return { text: status.waiting > 0 ? `Server: not enrolled · ${status.waiting.toLocaleString()} waiting` : 'Server: not enrolled', tone: 'neutral' };
  }
  if (!status.hasToken) return { text: 'Server: enrol again', tone: 'bad' };
  const waiting = status.waiting > 0 ? `${status.waiting.toLocaleString()} waiting` : null;
  switch (status.connection) {
    case 'offline':
      return { text: `Server: offline · ${waiting ?? `last sync ${syncTime(status.lastSyncAt, now)}`}${rejected}`, tone: 'warn' };
    case 'online':
      if (status.problem !== null) return { text: `Server: refused${waiting ? ` · ${waiting}` : ''}${rejected}`, tone: 'bad' };
      return { text: `Server: online · ${waiting ?? `synced ${syncTime(status.lastSyncAt, now)}`}${rejected}`, tone: rejected ? 'warn' : 'good' };
    default:
      return { text: `Server: connecting…${waiting ? ` · ${waiting}` : ''}${rejected}`, tone: 'neutral' };
  }
}

/** The line under "Sync now". */
export function describeSyncNow(result: SyncNowResult): string {
  const parts: string[] = [];
  parts.push(result.pushed === 0 ? 'Nothing to send' : `Sent ${count(result.pushed, 'command')}: ${result.applied.toLocaleString()} applied`);
  if (result.withConflict > 0) parts.push(`${result.withConflict.toLocaleString()} with a conflict`);
  if (result.rejected > 0) parts.push(`${result.rejected.toLocaleString()} rejected`);
  if (result.pulledRows > 0) parts.push(`${count(result.pulledRows, 'change')} received`);
  if (result.waiting > 0) parts.push(`${result.waiting.toLocaleString()} written meanwhile wait for the next sync`);
  return `${parts.join(', ')}.`;
}

/**
 * The consistency check's answer in words (sync.check): "Every table is as the server holds it
 * (22 tables, 2,500,011 rows)", or how many differ; after a repair, each table reloaded
 * ("Reloaded tickets: 2,000 rows written, 1 removed").
 */
export function describeCheck(summary: SyncCheckSummary): { verdict: string; reloaded: string[] } {
  const reloaded = summary.repaired.map((table) => `Reloaded ${table.table}: ${count(table.reloaded, 'row')} written, ${table.removed.toLocaleString()} removed.`);
  const size = `${count(summary.tables, 'table')}, ${count(summary.rows, 'row')}`;
  if (summary.differing.length === 0) return { verdict: `Every table is ${summary.repaired.length > 0 ? 'now ' : ''}as the server holds it (${size}).`, reloaded };
  const differ = summary.differing.length === 1 ? '1 table differs' : `${summary.differing.length.toLocaleString()} tables differ`;
  return { verdict: `${differ} from the server’s (${size} checked):`, reloaded };
}

/** "1,204,000 of 2,500,000 rows · 84,000 rows/s · about 16 s left". */
export function describeProgress(progress: SyncProgressEvent): string {
  const rows = progress.totalRows === null ? count(progress.rows, 'row') : `${progress.rows.toLocaleString()} of ${count(progress.totalRows, 'row')}`;
  if (progress.done) return `Loaded ${rows}.`;
  const speed = `${Math.round(progress.rowsPerSecond).toLocaleString()} rows/s`;
  const left = progress.secondsLeft === null ? null : `about ${durationText(progress.secondsLeft)} left`;
  return [rows, speed, left].filter(Boolean).join(' · ');
}

function durationText(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}
