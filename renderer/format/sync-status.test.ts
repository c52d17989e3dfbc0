import { describe, expect, it } from 'vitest';
import { syncStatusFixture } from '../test-support/sync-status.ts';
import { describeCheck, describeProgress, describeSync, describeSyncNow, syncTime } from './sync-status.ts';

const now = new Date('2026-07-10T15:00:00.000Z');
const base = syncStatusFixture();
const at1403 = syncTime('2026-07-10T14:03:00.000Z', now);

describe('the sync status in words', () => {
  it('says online with the last sync, or what waits', () => {
    expect(describeSync(base, now)).toEqual({ text: `Server: online · synced ${at1403}`, tone: 'good' });
    expect(describeSync({ ...base, waiting: 1 }, now)).toEqual({ text: 'Server: online · 1 waiting', tone: 'good' });
    expect(describeSync({ ...base, rejected: 2 }, now)).toEqual({ text: `Server: online · synced ${at1403} · 2 rejected`, tone: 'warn' });
  });

  it('says offline with the commands waiting, refused when the server answers no, and not enrolled', () => {
    expect(describeSync({ ...base, connection: 'offline', waiting: 1204 }, now)).toEqual({ text: `Server: offline · ${(1204).toLocaleString()} waiting`, tone: 'warn' });
    expect(describeSync({ ...base, connection: 'offline' }, now)).toEqual({ text: `Server: offline · last sync ${at1403}`, tone: 'warn' });
    expect(describeSync({ ...base, problem: 'The server refused this terminal (revoked)' }, now)).toEqual({ text: 'Server: refused', tone: 'bad' });
    expect(describeSync({ ...base, enrolled: false, connection: 'not_enrolled', waiting: 3 }, now)).toEqual({ text: 'Server: not enrolled · 3 waiting', tone: 'neutral' });
    expect(describeSync({ ...base, hasToken: false }, now)).toEqual({ text: 'Server: enrol again', tone: 'bad' });
    expect(describeSync({ ...base, connection: 'unknown', lastSyncAt: null }, now)).toEqual({ text: 'Server: connecting…', tone: 'neutral' });
  });

  it('names another day and never', () => {
    expect(syncTime(null, now)).toBe('never');
    expect(syncTime('2026-07-08T14:03:00.000Z', now)).not.toBe(at1403);
  });

  it('sums up a "Sync now" and a first load', () => {
    expect(describeSyncNow({ pushed: 0, applied: 0, withConflict: 0, rejected: 0, pulledRows: 0, waiting: 0, caughtUp: true })).toBe('Nothing to send.');
    expect(describeSyncNow({ pushed: 3, applied: 1, withConflict: 1, rejected: 1, pulledRows: 12, waiting: 2, caughtUp: true })).toBe(
      'Sent 3 commands: 1 applied, 1 with a conflict, 1 rejected, 12 changes received, 2 written meanwhile wait for the next sync.',
    );
    expect(describeProgress({ type: 'sync.progress', phase: 'first-load', table: 'tickets', rows: 1000, totalRows: 4000, rowsPerSecond: 250.4, secondsLeft: 12, done: false })).toBe(
      `${(1000).toLocaleString()} of ${(4000).toLocaleString()} rows · 250 rows/s · about 12 s left`,
    );
    expect(describeProgress({ type: 'sync.progress', phase: 'first-load', table: null, rows: 4000, totalRows: 4000, rowsPerSecond: 250, secondsLeft: 0, done: true })).toBe(
      `Loaded ${(4000).toLocaleString()} of ${(4000).toLocaleString()} rows.`,
    );
    expect(describeProgress({ type: 'sync.progress', phase: 'first-load', table: null, rows: 10, totalRows: null, rowsPerSecond: 5, secondsLeft: 95, done: false })).toBe('10 rows · 5 rows/s · about 1 min 35 s left');
  });

  it('says what the consistency check found: every table as the server holds it, how many differ, and each table reloaded', () => {
    const same = { cursors: { '': 3 }, tables: 22, rows: 2_500_011, differing: [], repaired: [] };
    expect(describeCheck(same)).toEqual({ verdict: `Every table is as the server holds it (22 tables, ${(2_500_011).toLocaleString()} rows).`, reloaded: [] });
    const tickets = { table: 'tickets', terminalRows: 60, serverRows: 60, reason: 'the same number of rows, with different contents' };
    expect(describeCheck({ ...same, tables: 1, rows: 1, differing: [tickets] }).verdict).toBe('1 table differs from the server’s (1 table, 1 row checked):');
    expect(describeCheck({ ...same, differing: [tickets, { ...tickets, table: 'labels' }] }).verdict).toMatch(/^2 tables differ from the server’s \(22 tables, /);
    expect(describeCheck({ ...same, repaired: [{ table: 'tickets', reloaded: 2000, removed: 1 }] })).toEqual({
      verdict: `Every table is now as the server holds it (22 tables, ${(2_500_011).toLocaleString()} rows).`,
      reloaded: [`Reloaded tickets: ${(2000).toLocaleString()} rows written, 1 removed.`],
    });
  });
});
