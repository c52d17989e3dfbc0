import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors.ts';
import { settableClock } from '../../test/fixtures/sync-server.ts';
import { DeviceRefused, ServerUnreachable } from './client.ts';
import type { PushSummary } from './push.ts';
import type { SyncNowSummary } from './sync-now.ts';
import { retryDelayMs, SyncLoop, type SyncLoopState, type SyncRun, type SyncTimers } from './sync-loop.ts';

/**
 * When the sync worker syncs, on a virtual clock: timers fire only when a test advances time, and
 * each sync waits until the test settles it, so every interleaving is written down.
 */

/** Timers that fire when `advance` moves virtual time past them. */
function virtualTimers() {
  let now = 0;
  let pending: { at: number; run: () => void }[] = [];
  const timers: SyncTimers & { advance(ms: number): Promise<void>; due(): number[] } = {
    now: () => now,
    setTimeout(run, ms) {
      const timer = { at: now + ms, run };
      pending.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      pending = pending.filter((timer) => timer !== handle);
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        const next = pending.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        pending = pending.filter((timer) => timer !== next);
        now = next.at;
        next.run();
        await settle();
      }
      now = target;
    },
    /** Delays from now of the timers waiting. */
    due: () => pending.map((timer) => timer.at - now).sort((a, b) => a - b),
  };
  return timers;
}

/** Lets promise callbacks run (the loop's awaits), without waiting for any time to pass. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const pushSummary = (pushed: number): PushSummary => ({ pushed, applied: pushed, withConflict: 0, rejected: 0, batches: 1, lastSeq: pushed, waiting: 0, rejections: [], conflicts: [] });
const summary = (pushed = 0): SyncNowSummary => ({ push: pushSummary(pushed), pull: { pages: 0, rows: 0, caughtUp: true, rerun: 0, notApplying: [], settledSeq: pushed, cursors: {} } });

/** A loop whose syncs each wait for the test to answer them. */
function loopOnVirtualTime(options: { held?: Record<string, number>; random?: () => number } = {}) {
  const timers = virtualTimers();
  const clock = settableClock('2026-07-10T12:00:00.000Z');
  const syncs: { resolve(summary: SyncNowSummary): void; reject(error: unknown): void }[] = [];
  const states: SyncLoopState[] = [];
  const unexpected: unknown[] = [];
  let started = 0;
  const runs: SyncRun[] = [];
  const loop = new SyncLoop({
    sync: (run) => {
      started += 1;
      runs.push(run);
      return new Promise<SyncNowSummary>((resolve, reject) => syncs.push({ resolve, reject }));
    },
    heldVersion: (scope) => options.held?.[scope],
    report: (state) => states.push(state),
    onUnexpectedError: (error) => unexpected.push(error),
    periodMs: 30_000,
    backoff: { initialMs: 1000, maxMs: 60_000 },
    timers,
    clock,
    random: options.random ?? (() => 0.5),
  });
  return {
    loop,
    timers,
    clock,
    states,
    unexpected,
    /** Syncs started so far. */
    started: () => started,
    /** Whether each sync started so far was for announcements only. */
    announcedOnly: () => runs.map((run) => run.announcedOnly),
    /** Answers the oldest sync not answered yet. */
    async succeed(pushed = 0) {
      syncs.shift()!.resolve(summary(pushed));
      await settle();
    },
    async fail(error: unknown) {
      syncs.shift()!.reject(error);
      await settle();
    },
    last: () => states.at(-1)!,
  };
}

const unreachable = () => new ServerUnreachable('Cannot reach the server at http://127.0.0.1:9 (connection refused: is the server running?)');

describe('the sync loop', () => {
  it('syncs at start, then once every period while nothing happens', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    expect(run.started()).toBe(1);
    expect(run.last()).toMatchObject({ syncing: true, connection: 'unknown' });
    await run.succeed();
    expect(run.last()).toEqual({ connection: 'online', syncing: false, lastSyncAt: '2026-07-10T12:00:00.000Z', problem: null, retryAt: null, failures: 0 });
    expect(run.timers.due()).toEqual([30_000]);
    await run.timers.advance(29_999);
    expect(run.started()).toBe(1);
    await run.timers.advance(1);
    expect(run.started()).toBe(2);
  });

  it('pushes at once when a command is written, and the commands written during that push in one more', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    await run.succeed();
    run.loop.commandWritten();
    expect(run.started()).toBe(2);
    for (let scan = 0; scan < 1000; scan++) run.loop.commandWritten();
    expect(run.started()).toBe(2);
    await run.succeed(1);
    expect(run.started()).toBe(3);
    await run.succeed(1000);
    expect(run.started()).toBe(3);
    expect(run.timers.due()).toEqual([30_000]);
    run.loop.commandWritten();
    expect(run.started()).toBe(4);
  });

  it('syncs once more after a sync during which a command was written, and only once', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    run.loop.commandWritten();
    run.loop.commandWritten();
    await run.succeed();
    expect(run.started()).toBe(2);
    await run.succeed(2);
    expect(run.started()).toBe(2);
    expect(run.timers.due()).toEqual([30_000]);
  });

  it('goes offline when the server cannot be reached and retries after a full-jitter backoff that doubles up to its cap', async () => {
    const run = loopOnVirtualTime({ random: () => 0.999 });
    run.loop.start();
    await run.fail(unreachable());
    expect(run.last()).toMatchObject({
      connection: 'offline',
      syncing: false,
      failures: 1,
      problem: 'Cannot reach the server at http://127.0.0.1:9 (connection refused: is the server running?)',
      retryAt: '2026-07-10T12:00:00.999Z',
    });
    const waits: number[] = [];
    for (let attempt = 2; attempt <= 9; attempt += 1) {
      waits.push(run.timers.due()[0]!);
      await run.timers.advance(run.timers.due()[0]!);
      await run.fail(unreachable());
    }
    expect(waits).toEqual([999, 1998, 3996, 7992, 15_984, 31_968, 59_940, 59_940]);
    expect(run.last().failures).toBe(9);
    expect(run.unexpected).toEqual([]);
  });

  it('lets commands written while offline wait for the retry instead of knocking at every scan', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    await run.fail(unreachable());
    expect(run.timers.due()).toEqual([500]);
    run.loop.commandWritten();
    await run.timers.advance(499);
    expect(run.started()).toBe(1);
    await run.timers.advance(1);
    expect(run.started()).toBe(2);
    await run.succeed(1);
    expect(run.last()).toMatchObject({ connection: 'online', failures: 0, problem: null, retryAt: null });
    run.loop.commandWritten();
    expect(run.started()).toBe(3);
  });

  it('retries at once when the server answers again (the live socket opened) instead of waiting out the backoff', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    await run.fail(unreachable());
    run.loop.serverAnswered();
    expect(run.started()).toBe(2);
    await run.succeed();
    run.loop.serverAnswered();
    expect(run.started()).toBe(2);
  });

  it('stays online with the problem in staff words when the server answers with a refusal', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    await run.fail(new DeviceRefused('revoked', 'This device was revoked by an administrator'));
    expect(run.last()).toMatchObject({
      connection: 'online',
      problem: 'The server refused this terminal (This device was revoked by an administrator): an admin enrols it again with a new code',
    });
    run.loop.serverAnswered();
    await run.fail(new DomainError('NOT_FOUND', "This terminal's device token is missing"));
    expect(run.last().problem).toBe("This terminal's device token is missing");
    expect(run.unexpected).toEqual([]);
  });

  it('words a bug for staff, keeps the connection as it was and hands the error to the log', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    await run.succeed();
    run.loop.syncNow().catch(() => undefined);
    const bug = new TypeError('x is undefined');
    await run.fail(bug);
    expect(run.last()).toMatchObject({ connection: 'online', problem: 'Sync failed because of an error inside Box Office: the log file says more; the commands wait on this terminal' });
    expect(run.unexpected).toEqual([bug]);
  });

  it('syncs at once on an announcement of a version the terminal does not hold, and ignores older ones', async () => {
    const run = loopOnVirtualTime({ held: { '': 7, 'event-1': 3 } });
    run.loop.start();
    await run.succeed();
    run.loop.announced('', 7);
    run.loop.announced('event-1', 2);
    expect(run.started()).toBe(1);
    run.loop.announced('event-1', 4);
    expect(run.started()).toBe(2);
    await run.succeed();
    run.loop.announced('event-2', 1);
    expect(run.started()).toBe(3);
    expect(run.announcedOnly()).toEqual([false, true, true]);
  });

  it('judges an announcement heard during a sync once it ends: no second run for a version its pull brought in', async () => {
    const held: Record<string, number> = { 'event-1': 3 };
    const run = loopOnVirtualTime({ held });
    run.loop.start();
    await run.succeed();
    run.loop.commandWritten();
    // This terminal's own push, announced before its pull brought version 4 in.
    run.loop.announced('event-1', 4);
    held['event-1'] = 4;
    await run.succeed(1);
    expect(run.started()).toBe(2);

    // Another terminal's push, committed after this one's pull had read: one more run for it.
    run.loop.commandWritten();
    expect(run.started()).toBe(3);
    run.loop.announced('event-1', 5);
    run.loop.announced('event-1', 6);
    held['event-1'] = 5;
    await run.succeed(1);
    expect(run.started()).toBe(4);
    held['event-1'] = 6;
    await run.succeed();
    expect(run.started()).toBe(4);
    expect(run.timers.due()).toEqual([30_000]);
    // The last run only pulled what another terminal pushed; a command during it makes a whole sync after it.
    expect(run.announcedOnly()).toEqual([false, false, false, true]);
    run.loop.announced('event-1', 7);
    run.loop.commandWritten();
    await run.succeed();
    expect(run.announcedOnly()).toEqual([false, false, false, true, true, false]);
  });

  it('answers "Sync now" with a sync that starts after the call: after the one under way when there is one', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    const asked = run.loop.syncNow();
    await run.succeed(0);
    expect(run.started()).toBe(2);
    await run.succeed(4);
    await expect(asked).resolves.toEqual(summary(4));

    // Awaited as a rejection from the start: a promise rejected before its handler is attached is an unhandled rejection.
    const failing = expect(run.loop.syncNow()).rejects.toBeInstanceOf(ServerUnreachable);
    await run.fail(unreachable());
    await failing;
  });

  it('runs a check in its turn: after the sync under way, no sync starting until it ends, and what was asked meanwhile after it', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    const steps: string[] = [];
    let compared!: () => void;
    const checked = run.loop.exclusive(async (sync) => {
      steps.push('turn');
      steps.push(`synced ${(await sync()).push.pushed}`);
      // Comparing with the server's digests: nothing may be pulled meanwhile.
      await new Promise<void>((resolve) => (compared = resolve));
      return 'checked';
    });
    await settle();
    expect(steps).toEqual([]);
    // A command during the first sync would make the loop go on: it gives way to the check instead.
    run.loop.commandWritten();
    await run.succeed();
    expect(steps).toEqual(['turn']);
    expect(run.started()).toBe(2);
    expect(run.last()).toMatchObject({ syncing: true });
    await run.succeed(3);
    expect(steps).toEqual(['turn', 'synced 3']);
    expect(run.last()).toMatchObject({ syncing: false, connection: 'online', failures: 0 });

    run.loop.commandWritten();
    run.loop.announced('', 1);
    const asked = run.loop.syncNow();
    await run.timers.advance(60_000);
    expect(run.started()).toBe(2);
    compared();
    await expect(checked).resolves.toBe('checked');
    expect(run.started()).toBe(3);
    await run.succeed(1);
    await expect(asked).resolves.toEqual(summary(1));
    expect(run.announcedOnly()).toEqual([false, false, false]);
    expect(run.timers.due()).toEqual([30_000]);
  });

  it('keeps a check’s failed sync in its state with the retry due, and hands a bug of the check itself to the log', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    await run.succeed();
    const failing = expect(run.loop.exclusive(async (sync) => (await sync()).push.pushed)).rejects.toBeInstanceOf(ServerUnreachable);
    await settle();
    await run.fail(unreachable());
    await failing;
    expect(run.last()).toMatchObject({ connection: 'offline', syncing: false, failures: 1, retryAt: '2026-07-10T12:00:00.500Z' });
    expect(run.timers.due()).toEqual([500]);
    expect(run.unexpected).toEqual([]);

    const bug = new TypeError('digest is undefined');
    await expect(run.loop.exclusive(() => Promise.reject(bug))).rejects.toBe(bug);
    expect(run.unexpected).toEqual([bug]);
    expect(run.started()).toBe(2);
  });

  it('stops after the sync under way and runs no more', async () => {
    const run = loopOnVirtualTime();
    run.loop.start();
    const stopped = run.loop.stop();
    run.loop.commandWritten();
    run.loop.announced('', 1);
    await run.succeed();
    await stopped;
    expect(run.timers.due()).toEqual([]);
    expect(run.started()).toBe(1);
    await expect(run.loop.syncNow()).rejects.toThrow('Sync is stopping: Box Office is closing');
    await expect(run.loop.exclusive(() => Promise.resolve('checked'))).rejects.toThrow('Sync is stopping: Box Office is closing');
  });
});

describe('retryDelayMs', () => {
  it('draws between zero and the doubled wait, capped', () => {
    expect(retryDelayMs(1, () => 0)).toBe(0);
    expect(retryDelayMs(1, () => 0.5)).toBe(500);
    expect(retryDelayMs(3, () => 0.5)).toBe(2000);
    expect(retryDelayMs(30, () => 0.5)).toBe(30_000);
  });
});
