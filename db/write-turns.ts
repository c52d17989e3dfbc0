import { threadId } from 'node:worker_threads';
import { DomainError } from '../core/errors.ts';

/**
 * Write turns: who of this process's connections to the store writes next.
 *
 * SQLite lets one connection write at a time. When two connections of one process contend (the
 * main thread deciding scans, the sync worker applying a first load or a pull), the loser's BEGIN
 * IMMEDIATE meets a taken lock and better-sqlite3's busy handler sleeps 1, 2, 5, 10, 15… ms
 * between tries: a scan that arrives during a 2 ms load transaction waited 10 ms or more, and the
 * gate's verdict p99 during a first load was 23 ms. The turn is a lock in shared memory taken
 * around every write transaction (Store.immediateTransaction), in front of SQLite's own:
 *
 * - A foreground writer (the main thread: scans, sales, edits) that finds the turn taken announces
 *   itself in a waiting counter and blocks in Atomics.wait until the holder gives the turn back,
 *   which wakes it at once (Atomics.notify): it waits for the rest of one transaction, no more.
 * - A background writer (the sync worker: first-load transactions, pull pages, push bookkeeping)
 *   does not take the turn while a foreground writer waits, and gives it back at once when one
 *   announced itself as it took it: once a foreground writer waits, no background writer goes
 *   before it.
 *
 * The turn only orders writers in front of SQLite's lock; it never replaces it. A writer that
 * waited `waitLimitMs` without getting the turn goes on without it into SQLite's own busy handling
 * (busy_timeout, db/connection.ts), which still keeps writers apart: the holder may be a worker
 * that died inside a transaction (terminated, or crashed in native code) and will never give the
 * turn back, and the main thread must not hang for it. SQLite released that worker's lock when its
 * connection closed, so the write goes through; the host also clears a dead worker's turn
 * (`releaseAbandoned`) once it hears the thread exit. Only if SQLite's lock stays taken too does the
 * write fail, with `storeBusy`.
 */

export type Writer = 'foreground' | 'background';

export interface WriteTurnsOptions {
  /**
   * How long a writer waits for the turn before it goes on under SQLite's busy handling alone.
   * Longer than any background transaction but an index build of a first load (one transaction per
   * index), short enough that a scan after a worker's crash does not look like a frozen station.
   */
  waitLimitMs?: number;
}

export const defaultWaitLimitMs = 1000;

/** Int32 slots of the shared buffer. */
const holderSlot = 0;
const foregroundWaitingSlot = 1;
/** Background writers' stores open on the turn (a running sync worker's). */
const backgroundStoresSlot = 2;
const slotCount = 3;

/** A thread's mark in the holder slot (0: nobody holds the turn). Thread ids start at 0 (the main thread). */
const markOf = (thread: number) => thread + 1;

export class WriteTurns {
  /** Shared with the other threads' WriteTurns (through workerData). */
  readonly buffer: SharedArrayBuffer;
  readonly waitLimitMs: number;
  readonly #slots: Int32Array;
  readonly #mark = markOf(threadId);

  /** A new turn, or (given the buffer another thread made) the same turn seen from this thread. */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(slotCount * Int32Array.BYTES_PER_ELEMENT), options: WriteTurnsOptions = {}) {
    if (buffer.byteLength !== slotCount * Int32Array.BYTES_PER_ELEMENT) {
      throw new Error(`Write turns take a SharedArrayBuffer of ${slotCount * Int32Array.BYTES_PER_ELEMENT} bytes (made by new WriteTurns()), got ${buffer.byteLength}`);
    }
    this.buffer = buffer;
    this.#slots = new Int32Array(buffer);
    this.waitLimitMs = options.waitLimitMs ?? defaultWaitLimitMs;
  }

  /**
   * Takes the turn for one write transaction. True: held, give it back with `give()`. False: not
   * had within `waitLimitMs`; the caller writes under SQLite's busy handling alone and gives nothing back.
   */
  take(writer: Writer): boolean {
    // The hot path: nobody holds the turn and (for the background) nobody waits for it.
    if (writer === 'foreground') {
      if (Atomics.compareExchange(this.#slots, holderSlot, 0, this.#mark) === 0) return true;
      return this.#takeAsForeground();
    }
    if (Atomics.load(this.#slots, foregroundWaitingSlot) === 0 && this.#tookAsBackground()) return true;
    return this.#takeAsBackground();
  }

  /** Gives back the turn this thread holds, waking every writer that waits for it. */
  give(): void {
    if (Atomics.compareExchange(this.#slots, holderSlot, this.#mark, 0) !== this.#mark) {
      throw new Error('A write turn was given back by a thread that does not hold it');
    }
    // All of them: a background writer woken alone would see a foreground one waiting and sleep on.
    Atomics.notify(this.#slots, holderSlot);
  }

  /**
   * Frees the turn if the given thread holds it: that thread has exited (a worker that crashed or
   * was terminated inside a transaction never gives it back). True when it held it.
   */
  releaseAbandoned(thread: number): boolean {
    if (Atomics.compareExchange(this.#slots, holderSlot, markOf(thread), 0) !== markOf(thread)) return false;
    Atomics.notify(this.#slots, holderSlot);
    return true;
  }

  /** Counts a background writer's store that takes this turn, until `leftByBackground` (Store does both). */
  joinedByBackground(): void {
    Atomics.add(this.#slots, backgroundStoresSlot, 1);
  }

  leftByBackground(): void {
    Atomics.sub(this.#slots, backgroundStoresSlot, 1);
  }

  /**
   * Whether a background writer's store (a running sync worker's) takes this turn: its transactions
   * may come between the main thread's. A worker that ended without closing its store still counts,
   * which only keeps the main thread's scans answered first (core/checkin/answered-scans.ts).
   */
  hasBackgroundWriters(): boolean {
    return Atomics.load(this.#slots, backgroundStoresSlot) > 0;
  }

  /**
   * Whether another thread (a background writer) holds the turn now: a foreground write would
   * wait for the rest of its transaction. Read without taking anything.
   */
  heldByAnother(): boolean {
    const holder = Atomics.load(this.#slots, holderSlot);
    return holder !== 0 && holder !== this.#mark;
  }

  /**
   * Waits without blocking this thread until the turn is free, then runs `write` (which takes the
   * turn as a foreground writer). Announced as a waiting foreground writer the while, so no
   * background writer takes the turn between the holder's transaction and `write`: the main thread
   * records the scans it answered meanwhile (core/checkin/answered-scans.ts) right after the
   * transaction under way, and goes on serving scans while it waits. Past `waitLimitMs` it runs
   * `write` anyway, which then goes under SQLite's busy handling as take() does.
   */
  async whenFree<T>(write: () => T): Promise<T> {
    Atomics.add(this.#slots, foregroundWaitingSlot, 1);
    Atomics.notify(this.#slots, foregroundWaitingSlot);
    try {
      const deadline = performance.now() + this.waitLimitMs;
      for (;;) {
        const holder = Atomics.load(this.#slots, holderSlot);
        const left = deadline - performance.now();
        if (holder === 0 || holder === this.#mark || left <= 0) return write();
        const { async, value } = Atomics.waitAsync(this.#slots, holderSlot, holder, left);
        if (async) await value;
      }
    } finally {
      if (Atomics.sub(this.#slots, foregroundWaitingSlot, 1) === 1) Atomics.notify(this.#slots, foregroundWaitingSlot);
    }
  }

  /** Foreground writers waiting for the turn now. */
  foregroundWaiting(): number {
    return Atomics.load(this.#slots, foregroundWaitingSlot);
  }

  /** Resolves once a foreground writer waits for the turn (it may have had it already, then another must come). */
  async foregroundWaits(): Promise<void> {
    for (;;) {
      const waiting = Atomics.load(this.#slots, foregroundWaitingSlot);
      if (waiting > 0) return;
      const { async, value } = Atomics.waitAsync(this.#slots, foregroundWaitingSlot, waiting);
      if (async) await value;
    }
  }

  #takeAsForeground(): boolean {
    Atomics.add(this.#slots, foregroundWaitingSlot, 1);
    // Wakes a background writer that sleeps until no foreground one waits, to sleep again on the new count.
    Atomics.notify(this.#slots, foregroundWaitingSlot);
    try {
      const deadline = performance.now() + this.waitLimitMs;
      for (;;) {
        const holder = Atomics.compareExchange(this.#slots, holderSlot, 0, this.#mark);
        if (holder === 0) return true;
        const left = deadline - performance.now();
        if (left <= 0) return false;
        // Returns at once if the holder changed since the exchange above: no wake-up is lost.
        Atomics.wait(this.#slots, holderSlot, holder, left);
      }
    } finally {
      if (Atomics.sub(this.#slots, foregroundWaitingSlot, 1) === 1) Atomics.notify(this.#slots, foregroundWaitingSlot);
    }
  }

  #takeAsBackground(): boolean {
    const deadline = performance.now() + this.waitLimitMs;
    for (;;) {
      const waiting = Atomics.load(this.#slots, foregroundWaitingSlot);
      const holder = waiting > 0 ? -1 : Atomics.load(this.#slots, holderSlot);
      if (holder === 0 && this.#tookAsBackground()) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      // Until no foreground writer waits, or until the holder gives the turn back.
      if (waiting > 0) Atomics.wait(this.#slots, foregroundWaitingSlot, waiting, left);
      else if (holder !== 0) Atomics.wait(this.#slots, holderSlot, holder, left);
    }
  }

  /**
   * Takes the free turn unless a foreground writer announced itself meanwhile. Every Atomics
   * operation is sequentially consistent: if the foreground writer's announcement came before the
   * count is read here, it is seen and the turn given back; if after, the background writer held
   * the turn before the foreground one began to wait.
   */
  #tookAsBackground(): boolean {
    if (Atomics.compareExchange(this.#slots, holderSlot, 0, this.#mark) !== 0) return false;
    if (Atomics.load(this.#slots, foregroundWaitingSlot) === 0) return true;
    Atomics.store(this.#slots, holderSlot, 0);
    Atomics.notify(this.#slots, holderSlot);
    return false;
  }
}

/**
 * The error of a write that had neither the turn nor SQLite's lock: whoever held them held them for
 * longer than any of this process's transactions takes (a worker stuck inside one).
 */
export function storeBusy(writer: Writer, turns: WriteTurns, busyTimeoutMs: number, cause: unknown): DomainError {
  const other = writer === 'foreground' ? 'the sync worker (or another background writer)' : 'the main thread';
  const error = new DomainError(
    'UNAVAILABLE',
    `The store stayed locked: ${other} held its write turn for over ${turns.waitLimitMs} ms, then SQLite's write lock for ${busyTimeoutMs} ms more. Nothing was written; try again, and restart the app if it goes on`,
  );
  error.cause = cause;
  return error;
}
