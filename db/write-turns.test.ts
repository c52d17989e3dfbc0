import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.ts';
import type { WriterOrder, WriterReport, WriterSetup } from '../test/fixtures/write-turn-writer.ts';
import { openDatabase } from './connection.ts';
import { sql, Store } from './store.ts';
import { WriteTurns, type Writer } from './write-turns.ts';

/**
 * The write turn between real threads (test/fixtures/write-turn-writer.ts). No test waits for
 * time: each awaits what a writer reports, or the turn's own waiting count; a writer that waits
 * does so without a limit, so a lost wake-up would hang its test rather than pass by a timeout.
 */

const workers: Worker[] = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A turn and its writers' shared order log and release slots. */
function turnFor(writerCount: number) {
  const turns = new WriteTurns();
  const release = new Int32Array(new SharedArrayBuffer(writerCount * 4));
  const log = new Int32Array(new SharedArrayBuffer(64 * 4));
  return {
    turns,
    /** Names of the writers in the order they took the turn. */
    order: () => Array.from(log.subarray(1, 1 + log[0]!)),
    /** Lets writer `name` give back the turn it holds. */
    release(name: number) {
      Atomics.store(release, name, 1);
      Atomics.notify(release, name);
    },
    writer(name: number, writer: Writer) {
      const setup: WriterSetup = { turns: turns.buffer, writer, name, release: release.buffer as SharedArrayBuffer, log: log.buffer as SharedArrayBuffer };
      const worker = new Worker(new URL('../test/fixtures/write-turn-writer.ts', import.meta.url), { workerData: setup });
      workers.push(worker);
      const reports: WriterReport[] = [];
      const waiting: ((report: WriterReport) => void)[] = [];
      worker.on('message', (report: WriterReport) => {
        const next = waiting.shift();
        if (next) next(report);
        else reports.push(report);
      });
      const failed = once(worker, 'error').then(([error]) => Promise.reject(error as Error));
      failed.catch(() => {});
      return {
        worker,
        order: (order: WriterOrder) => worker.postMessage(order),
        /** The writer's next report. */
        report: (): Promise<WriterReport> => Promise.race([failed, reports.length > 0 ? Promise.resolve(reports.shift()!) : new Promise<WriterReport>((resolve) => waiting.push(resolve))]),
      };
    },
  };
}

function storeFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'box-office-write-turns-'));
  folders.push(folder);
  return join(folder, 'store.sqlite');
}

describe('write turns between threads', () => {
  it('a foreground writer that waits goes before every background writer, round after round', async () => {
    const turn = turnFor(3);
    const [holder, foreground, background] = [turn.writer(0, 'background'), turn.writer(1, 'foreground'), turn.writer(2, 'background')];
    const rounds = 10;
    for (let round = 0; round < rounds; round += 1) {
      holder.order({ type: 'hold' });
      expect(await holder.report()).toEqual({ type: 'holding', held: true });
      // The background writer asks first, the foreground one after: it still goes first.
      background.order({ type: 'hold' });
      foreground.order({ type: 'hold' });
      const backgroundHolds = background.report();
      const foregroundHolds = foreground.report();
      await turn.turns.foregroundWaits();
      turn.release(0);
      expect(await holder.report()).toEqual({ type: 'gave' });
      const next = await Promise.race([foregroundHolds.then(() => 'foreground'), backgroundHolds.then(() => 'background')]);
      expect(next).toBe('foreground');
      turn.release(1);
      expect(await foreground.report()).toEqual({ type: 'gave' });
      expect(await backgroundHolds).toEqual({ type: 'holding', held: true });
      turn.release(2);
      expect(await background.report()).toEqual({ type: 'gave' });
    }
    expect(turn.order()).toEqual(Array.from({ length: rounds }, () => [0, 1, 2]).flat());
  });

  it('writers of both classes take turns thousands of times: one at a time, and every one woken', async () => {
    const turn = turnFor(3);
    const writers = [turn.writer(0, 'foreground'), turn.writer(1, 'background'), turn.writer(2, 'background')];
    const count = new Int32Array(new SharedArrayBuffer(2 * 4));
    const times = 3000;
    for (const writer of writers) writer.order({ type: 'count', times, count: count.buffer as SharedArrayBuffer });
    const reports = await Promise.all(writers.map((writer) => writer.report()));

    expect(reports).toEqual(writers.map(() => ({ type: 'counted', held: times, overlaps: 0 })));
    expect(count[0]).toBe(times * writers.length);
    expect(turn.turns.foregroundWaiting()).toBe(0);
  });
});

describe('waiting for the turn without blocking the thread (whenFree)', () => {
  it('runs the write once the holder gives the turn back, no background writer first, and the thread goes on meanwhile', async () => {
    const turn = turnFor(2);
    const [holder, background] = [turn.writer(0, 'background'), turn.writer(1, 'background')];
    holder.order({ type: 'hold' });
    expect(await holder.report()).toEqual({ type: 'holding', held: true });
    expect(turn.turns.heldByAnother()).toBe(true);

    let wrote = false;
    const written = turn.turns.whenFree(() => {
      const held = turn.turns.take('foreground');
      const before = turn.order();
      wrote = true;
      turn.turns.give();
      return { held, before };
    });
    // Announced as a waiting foreground writer: the background writer asking now goes after it.
    expect(turn.turns.foregroundWaiting()).toBe(1);
    background.order({ type: 'hold' });
    // The thread is not blocked: this test goes on running while the write waits.
    await new Promise((resolve) => setImmediate(resolve));
    expect(wrote).toBe(false);

    turn.release(0);
    expect(await holder.report()).toEqual({ type: 'gave' });
    // The write went as soon as the holder gave the turn back, before the background writer that asked meanwhile.
    expect(await written).toEqual({ held: true, before: [0] });
    expect(await background.report()).toEqual({ type: 'holding', held: true });
    turn.release(1);
    expect(await background.report()).toEqual({ type: 'gave' });
    expect(turn.order()).toEqual([0, 1]);
    expect(turn.turns.foregroundWaiting()).toBe(0);
    expect(turn.turns.heldByAnother()).toBe(false);
  });

  it('runs the write at once when the turn is free', async () => {
    const turns = new WriteTurns();
    expect(await turns.whenFree(() => 'written')).toBe('written');
    expect(turns.foregroundWaiting()).toBe(0);
  });

  it('runs the write after the wait limit when the holder never gives the turn back', async () => {
    const turn = turnFor(1);
    const stuck = turn.writer(0, 'background');
    stuck.order({ type: 'keep' });
    expect(await stuck.report()).toEqual({ type: 'holding', held: true });
    const turns = new WriteTurns(turn.turns.buffer, { waitLimitMs: 20 });
    expect(await turns.whenFree(() => turns.heldByAnother())).toBe(true);
    expect(turns.foregroundWaiting()).toBe(0);
  });
});

describe('a holder that never gives the turn back', () => {
  /** A foreground store on `file` whose writes wait a short while for the turn. */
  function foregroundStore(file: string, turns: WriteTurns) {
    const store = new Store(openDatabase(file));
    store.shareWriteTurns(new WriteTurns(turns.buffer, { waitLimitMs: 20 }), 'foreground');
    return store;
  }
  const write = (store: Store, key: string) => store.immediateTransaction(() => store.run(sql.insertInto('terminal_state').values({ key, value: 'written' })));
  const written = (store: Store, key: string) => store.first(sql.selectFrom('terminal_state').select('value').where('key', '=', key))?.value;

  it('a foreground write goes on under SQLite\'s lock alone after the wait limit', async () => {
    const file = storeFolder();
    const turn = turnFor(1);
    const store = foregroundStore(file, turn.turns);
    const stuck = turn.writer(0, 'background');
    stuck.order({ type: 'keep' });
    expect(await stuck.report()).toEqual({ type: 'holding', held: true });

    write(store, 'after-the-limit');
    expect(written(store, 'after-the-limit')).toBe('written');
    store.close();
  });

  it('fails with a clear error, writing nothing, when SQLite\'s lock stays taken too', async () => {
    const file = storeFolder();
    const turn = turnFor(1);
    const store = foregroundStore(file, turn.turns);
    store.db.pragma('busy_timeout = 0');
    const stuck = turn.writer(0, 'background');
    stuck.order({ type: 'keep', storeFile: file });
    expect(await stuck.report()).toEqual({ type: 'holding', held: true });

    let failure: unknown;
    try {
      write(store, 'never');
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/^The store stayed locked: the sync worker .* held its write turn for over 20 ms, then SQLite's write lock for 0 ms more\. Nothing was written/) });
    expect(store.db.inTransaction).toBe(false);
    expect(written(store, 'never')).toBeUndefined();
    store.close();
  });

  it('a worker that ended holding the turn and a write lock: the host frees its turn and SQLite its lock', async () => {
    const file = storeFolder();
    const turn = turnFor(1);
    const stuck = turn.writer(0, 'background');
    const stuckThread = stuck.worker.threadId;
    stuck.order({ type: 'keep', storeFile: file });
    expect(await stuck.report()).toEqual({ type: 'holding', held: true });
    await stuck.worker.terminate();

    expect(turn.turns.releaseAbandoned(stuckThread)).toBe(true);
    expect(turn.turns.releaseAbandoned(stuckThread)).toBe(false);
    // No wait limit now: the turn is free, and the dead worker's connection no longer holds the lock.
    const store = new Store(openDatabase(file));
    store.shareWriteTurns(new WriteTurns(turn.turns.buffer, { waitLimitMs: Number.POSITIVE_INFINITY }), 'foreground');
    store.db.pragma('busy_timeout = 0');
    write(store, 'after-the-crash');
    expect(written(store, 'after-the-crash')).toBe('written');
    store.close();
  });
});

describe('write turns, the buffer', () => {
  it('refuses a buffer it did not make', () => {
    expect(() => new WriteTurns(new SharedArrayBuffer(4))).toThrow(/SharedArrayBuffer of 12 bytes/);
  });

  it('refuses to be given back by a thread that does not hold it', () => {
    expect(() => new WriteTurns().give()).toThrow(/does not hold it/);
  });
});
