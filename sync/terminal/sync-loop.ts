import { systemClock, type Clock } from '../../core/clock.ts';
import { DomainError } from '../../core/errors.ts';
import { DeviceRefused, ServerUnreachable, SyncError, UpgradeRequired } from './client.ts';
import type { SyncNowSummary } from './sync-now.ts';

/**
 * When the sync worker syncs (DESIGN.md section 6), decided here apart from the thread, the socket
 * and the HTTP client so it can be tested with a virtual clock: at start; at once when a local
 * command wrote to the outbox, when the live socket announces a version the terminal does not
 * hold, or when staff press "Sync now"; and every `periodMs` otherwise. One sync at a time: a
 * reason to sync that arrives during one makes one more run after it.
 *
 * A command starts a sync on its leading edge, with no delay of its own: a scan at gate A is on the
 * server, announced and pulled by gate B within the 250 ms issue 11 asks, where a wait before each
 * push would add itself to every scan's propagation. Bursts still travel together: the host tells
 * the worker once per turn of its event loop however many commands that turn wrote, and the
 * commands written while a sync runs go in the one run after it, so a burst of scans travels in as
 * many pushes as syncs fit in its duration, not one per scan.
 *
 * An announcement heard while a sync runs is judged again when it ends: the push of this terminal
 * is announced to it too, usually before its own pull has brought that version in, and a second
 * run for a version the first one pulled would cost the server two more requests per scan. A run
 * only announcements asked for is told so (`announcedOnly`): with nothing of this terminal's to
 * send it pulls at once, without the push that would only check the server first.
 *
 * A failed sync is tried again after an exponential backoff with full jitter (a random wait up to
 * 1 s, 2 s, 4 s … 60 s), so terminals that lost the server together do not come back together.
 * During the backoff new commands wait for the retry (a gate scanning offline does not knock on the
 * server at every scan); an announcement or "Sync now" proves or asks for the server now and runs
 * at once. Online means the last request was answered: there is no offline switch.
 *
 * Work that must not see a pull in its middle (the consistency check) runs in the loop's turn
 * (`exclusive`), as one more run: the syncs wait for it and it waits for them.
 */

/** The worker's timers and its monotonic time, virtual in tests. */
export interface SyncTimers {
  /** Milliseconds on a monotonic scale (performance.now()). */
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: SyncTimers = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: Backoff = { initialMs: 1000, maxMs: 60_000 };

/** Full jitter: a wait drawn uniformly between 0 and initial × 2^(failures − 1), capped at max. */
export function retryDelayMs(failures: number, random: () => number, backoff: Backoff = defaultBackoff): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}

/**
 * What the terminal knows of its connection to the server. `unknown` until the first request
 * after start was answered or failed.
 */
export type ServerConnection = 'unknown' | 'online' | 'offline';

export interface SyncLoopState {
  connection: ServerConnection;
  /** A sync is running now. */
  syncing: boolean;
  /** The end of the last sync that pushed and pulled everything (ISO-8601), or null. */
  lastSyncAt: string | null;
  /** Why the last sync failed, worded for staff; null after a success. */
  problem: string | null;
  /** When the next try after a failure is due (ISO-8601); null when the last sync succeeded. */
  retryAt: string | null;
  /** Syncs failed in a row. */
  failures: number;
}

/** Why a run syncs. */
export interface SyncRun {
  /** Only announcements of versions this terminal does not hold asked for it: no command, no timer, no "Sync now". */
  announcedOnly: boolean;
}

export interface SyncLoopOptions {
  /** One sync: push, then pull until caught up (sync-now.ts). */
  sync(run: SyncRun): Promise<SyncNowSummary>;
  /** The version this terminal holds of a scope (its pull cursor), to judge an announcement. */
  heldVersion(scope: string): number | undefined;
  /** Told every change of state (to the main thread, then the Sync screen). */
  report(state: SyncLoopState): void;
  /** Told errors that are not the server's or the network's (bugs), for the log. */
  onUnexpectedError?(error: unknown): void;
  /** The last successful sync before this loop started (kept in the store). */
  lastSyncAt?: string | null;
  periodMs?: number;
  backoff?: Backoff;
  timers?: SyncTimers;
  random?: () => number;
  clock?: Clock;
}

export const defaultPeriodMs = 30_000;

interface Waiter {
  resolve(summary: SyncNowSummary): void;
  reject(error: unknown): void;
}

export class SyncLoop {
  readonly #options: SyncLoopOptions;
  readonly #timers: SyncTimers;
  readonly #clock: Clock;
  readonly #random: () => number;
  #state: SyncLoopState;
  #timer: { handle: unknown; dueMs: number } | null = null;
  #running: Promise<void> | null = null;
  /** Another run is wanted once the current one ends. */
  #again = false;
  /** Versions announced during the current run, per scope: judged against the cursors once it ends. */
  #heard = new Map<string, number>();
  /** Callers of syncNow waiting for the next run to start and end. */
  #waiters: Waiter[] = [];
  #stopped = false;
  /** Callers of exclusive() waiting for the run under way to end. */
  #exclusiveWaiting = 0;

  constructor(options: SyncLoopOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#state = { connection: 'unknown', syncing: false, lastSyncAt: options.lastSyncAt ?? null, problem: null, retryAt: null, failures: 0 };
  }

  get state(): SyncLoopState {
    return { ...this.#state };
  }

  /** The first sync, at once. */
  start(): void {
    this.#runSoon();
  }

  /** A local command wrote to the outbox: sync at once (after the run under way), unless a retry is pending. */
  commandWritten(): void {
    if (this.#state.failures > 0) return;
    this.#runSoon();
  }

  /**
   * The live socket announced a scope's version: sync at once when this terminal holds less; during
   * a run, once it ends if its pull did not bring that version in.
   */
  announced(scope: string, version: number): void {
    if (!this.#behind(scope, version)) return;
    if (this.#running) this.#heard.set(scope, Math.max(version, this.#heard.get(scope) ?? 0));
    else this.#runSoon({ announcedOnly: true });
  }

  /** The server answered again (the live socket opened): a retry waiting for its backoff runs now. */
  serverAnswered(): void {
    if (this.#state.failures > 0) this.#runSoon();
  }

  /** Staff asked: one sync that starts after this call, its summary or its error. */
  syncNow(): Promise<SyncNowSummary> {
    if (this.#stopped) return Promise.reject(new SyncError('Sync is stopping: Box Office is closing'));
    const result = new Promise<SyncNowSummary>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#runSoon();
    return result;
  }

  /** No more runs; resolves when the current one has ended. Waiting callers are told it stopped. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#clearTimer();
    await this.#running;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new SyncError('Sync stopped: Box Office is closing'));
  }

  /** Whether an announced version is newer than what this terminal holds (or its cursor cannot be read). */
  #behind(scope: string, version: number): boolean {
    const held = this.#options.heldVersion(scope);
    return held === undefined || version > held;
  }

  /** Whether a version heard during the run that just ended is still ahead of the cursors. */
  #stillBehind(): boolean {
    return [...this.#heard].some(([scope, version]) => this.#behind(scope, version));
  }

  #runSoon(run: SyncRun = { announcedOnly: false }): void {
    if (this.#stopped) return;
    this.#clearTimer();
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#cycle(run);
  }

  /** Runs after `ms` (the next period, or a retry), unless a run is already due sooner. */
  #schedule(ms: number): void {
    if (this.#stopped) return;
    const dueMs = this.#timers.now() + ms;
    if (this.#timer && this.#timer.dueMs <= dueMs) return;
    this.#clearTimer();
    const handle = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#runSoon();
    }, ms);
    this.#timer = { handle, dueMs };
  }

  #clearTimer(): void {
    if (this.#timer) this.#timers.clearTimeout(this.#timer.handle);
    this.#timer = null;
  }

  #update(change: Partial<SyncLoopState>): void {
    this.#state = { ...this.#state, ...change };
    this.#options.report(this.state);
  }

  /**
   * Runs `work` in the loop's turn, alone: after the run under way, and no sync starts until it
   * ends (a command written, an announcement heard or "Sync now" asked meanwhile run after it).
   * The consistency check needs that: nothing may be pulled between reading the cursors and
   * comparing. `work` syncs with the `sync` it is handed, which the status follows as any run's.
   * A cycle under way gives way after its current run, so a busy gate does not keep it waiting.
   */
  async exclusive<T>(work: (sync: () => Promise<SyncNowSummary>) => Promise<T>): Promise<T> {
    this.#exclusiveWaiting++;
    try {
      while (this.#running && !this.#stopped) await this.#running;
    } finally {
      this.#exclusiveWaiting--;
    }
    if (this.#stopped) throw new SyncError('Sync is stopping: Box Office is closing');
    this.#clearTimer();
    let ended!: () => void;
    this.#running = new Promise((resolve) => (ended = resolve));
    /** Its sync's error, already judged (and logged when a bug) as every run's. */
    let syncFailure: unknown;
    try {
      return await work(async () => {
        try {
          return await this.#syncOnce({ announcedOnly: false });
        } catch (error) {
          syncFailure = error;
          throw error;
        } finally {
          this.#options.report(this.state);
        }
      });
    } catch (error) {
      if (!isExpected(error) && error !== syncFailure) this.#options.onUnexpectedError?.(error);
      throw error;
    } finally {
      this.#running = null;
      ended();
      // What was asked meanwhile runs now (stop() waited for this turn: then nothing does).
      if (this.#again || this.#stillBehind() || this.#waiters.length > 0) this.#runSoon({ announcedOnly: !this.#again && this.#waiters.length === 0 });
      else if (!this.#stopped) this.#scheduleNext();
      this.#options.report(this.state);
    }
  }

  /** One sync, its outcome kept in the state; throws its error. */
  async #syncOnce(run: SyncRun): Promise<SyncNowSummary> {
    this.#update({ syncing: true });
    try {
      const summary = await this.#options.sync(run);
      this.#state = { ...this.#state, connection: 'online', syncing: false, lastSyncAt: this.#clock.now().toISOString(), problem: null, retryAt: null, failures: 0 };
      return summary;
    } catch (error) {
      if (!isExpected(error)) this.#options.onUnexpectedError?.(error);
      this.#state = {
        ...this.#state,
        connection: error instanceof ServerUnreachable ? 'offline' : isExpected(error) ? 'online' : this.#state.connection,
        syncing: false,
        problem: problemOf(error),
        failures: this.#state.failures + 1,
      };
      throw error;
    }
  }

  async #cycle(first: SyncRun): Promise<void> {
    let run = first;
    for (;;) {
      this.#again = false;
      this.#heard.clear();
      const waiters = this.#waiters.splice(0);
      try {
        const summary = await this.#syncOnce(run);
        for (const waiter of waiters) waiter.resolve(summary);
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
      // A turn waiting for exclusive() goes next; what is still wanted runs after it.
      if (this.#stopped || this.#exclusiveWaiting > 0 || !(this.#again || this.#stillBehind())) break;
      run = { announcedOnly: !this.#again };
    }
    if (this.#exclusiveWaiting === 0) this.#heard.clear();
    this.#running = null;
    if (!this.#stopped) this.#scheduleNext();
    this.#options.report(this.state);
  }

  /** The next period, or the retry after a failure. */
  #scheduleNext(): void {
    if (this.#state.failures > 0) {
      const delay = retryDelayMs(this.#state.failures, this.#random, this.#options.backoff);
      this.#state.retryAt = new Date(this.#clock.now().getTime() + delay).toISOString();
      this.#schedule(delay);
    } else {
      this.#schedule(this.#options.periodMs ?? defaultPeriodMs);
    }
  }
}

/** Errors the server or the network cause (worded for staff already), as opposed to bugs. */
function isExpected(error: unknown): boolean {
  return error instanceof SyncError || error instanceof DomainError;
}

/** Why a sync failed, as the person at the terminal reads it. */
export function problemOf(error: unknown): string {
  if (error instanceof DeviceRefused) return `The server refused this terminal (${error.message}): an admin enrols it again with a new code`;
  if (error instanceof UpgradeRequired) return `${error.message}: update Box Office on this terminal`;
  if (error instanceof SyncError || error instanceof DomainError) return error.message;
  return 'Sync failed because of an error inside Box Office: the log file says more; the commands wait on this terminal';
}
