import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { CoreEvent } from '../../core/api/pubsub.ts';
import { conflict, DomainError } from '../../core/errors.ts';
import type { Result } from '../../core/result.ts';
import type { CheckSummary, SyncNowResult, SyncStatusView } from '../../core/sync/sync.contract.ts';
import type { TerminalSync } from '../../core/sync/terminal-sync.ts';
import { deviceId, serverOffsetMs, terminalShortCode } from '../../core/terminal/state.ts';
import { sql, type Store } from '../../db/store.ts';
import { WriteTurns } from '../../db/write-turns.ts';
import { SyncError } from '../../sync/terminal/client.ts';
import { commandViews, settledCounts, type SettledCounts } from '../../sync/terminal/command-views.ts';
import { readDeviceToken } from '../../sync/terminal/device-token.ts';
import { enrolTerminal } from '../../sync/terminal/enrolment.ts';
import { commandCount } from '../../sync/terminal/outbox.ts';
import { lastPushAt, terminalEnrolment } from '../../sync/terminal/state.ts';
import { syncFailure } from '../../sync/terminal/sync-failure.ts';
import type { Backoff, SyncLoopState } from '../../sync/terminal/sync-loop.ts';

/**
 * The host's sync with the central server (DESIGN.md section 6): the capability core's `sync.*`
 * operations use (core/sync/terminal-sync.ts). Long-running hosts (`box-office serve`, the desktop
 * app) call `start()`: once the terminal is enrolled, a worker thread (sync-worker.ts) with its own
 * connection to the store pushes and pulls in the background, told of every command this process
 * writes. This side composes the status staff see from the worker's state (online/offline, last
 * sync, problem) and the store (commands waiting, rejected, alerts) and publishes it as
 * `sync.status` on every change. Enrolling from the Sync screen starts (or restarts) the worker.
 *
 * The process's store and the worker's take turns to write (db/write-turns.ts): the host's store
 * is the foreground writer, so a scan waits for at most the rest of one of the worker's
 * transactions (a first-load batch, a pull page) and never sleeps in SQLite's busy handler.
 */

/** The loop's timing; tests shorten it. */
export interface SyncTiming {
  periodMs?: number;
  backoff?: Backoff;
}

/** What the host hands the worker (structured-cloned into the thread). */
export interface SyncWorkerRequest {
  storeFile: string;
  dataDir: string;
  timing: SyncTiming;
  /** The write turn the worker's store takes as the background writer (db/write-turns.ts): shared, not copied. */
  writeTurns: SharedArrayBuffer;
}

/** Host → worker. `syncNow` and `check` are calls: the worker answers each by its id. */
export type SyncWorkerCommand =
  | { type: 'commandWritten' }
  | { type: 'syncNow'; id: number }
  | { type: 'check'; id: number; repair: boolean }
  | { type: 'stop' };

/** Worker → host. */
export type SyncWorkerMessage =
  | { type: 'state'; state: SyncLoopState; counts: SettledCounts }
  /** The answer to the call of that id: a SyncNowResult to `syncNow`, a CheckSummary to `check`. */
  | { type: 'answer'; id: number; result: Result<SyncNowResult | CheckSummary> }
  | { type: 'event'; event: CoreEvent }
  /** An error inside Box Office (a bug) during a sync: the host logs it; staff see a worded problem. */
  | { type: 'unexpected'; message: string; stack: string | undefined };

export interface HostSyncOptions {
  store: Store;
  storeFile: string;
  dataDir: string;
  timing?: SyncTiming;
  workerUrl?: URL;
  fetch?: typeof fetch;
  onProblem?(message: string, error?: unknown): void;
}

export interface HostSync extends TerminalSync {
  /** Runs the worker from now on (at once if enrolled, else after enrolment). */
  start(): void;
  /** A command of this process wrote to the outbox. Cheap: called after every scan. */
  commandWritten(): void;
  /** Stops the worker; resolves once its thread has ended. */
  stop(): Promise<void>;
}

/**
 * From the sources Node runs the worker's .ts directly; bundled into out/electron/main.js, it is
 * built next to it as sync-worker.js (build/build-electron.ts).
 */
function defaultWorkerUrl(): URL {
  const file = import.meta.url.endsWith('.ts') ? './sync-worker.ts' : './sync-worker.js';
  return new URL(file, import.meta.url);
}

/** How long a stopping worker may take to end its sync before it is terminated. */
const stopGraceMs = 5000;

export function createHostSync(options: HostSyncOptions): HostSync {
  const { store, dataDir } = options;
  const turns = store.writeTurns ?? new WriteTurns();
  if (store.writeTurns === null) store.shareWriteTurns(turns, 'foreground');
  const listeners = new Set<(event: CoreEvent) => void>();
  let worker: Worker | null = null;
  let workerState: { state: SyncLoopState; counts: SettledCounts } | null = null;
  let started = false;
  let stopped = false;
  /** The last worker ended on an error: not started again until an enrolment (no restart loop at every scan). */
  let crashed = false;
  /** Whether the token file is there, read once per enrolment (status() runs after every burst of scans). */
  let token: { enrolledAt: string | null; present: boolean } | null = null;
  const hasToken = (enrolledAt: string | null) => {
    if (token?.enrolledAt !== enrolledAt) token = { enrolledAt, present: readDeviceToken(dataDir) !== null };
    return token.present;
  };
  let nextCallId = 1;
  const calls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  /** A command was written this turn of the event loop: the worker is told and the status published once. */
  let commandNoticed = false;

  const emit = (event: CoreEvent) => {
    for (const listener of listeners) listener(event);
  };

  /** Counted here while no worker runs: at each call of sync.status, and reused for the events after each burst of scans. */
  let ownCounts: SettledCounts | null = null;

  /**
   * Runs on the thread that decides scans, after every burst of commands: the counts that need a
   * scan of the outbox (rejected, with a conflict) and the alerts come from the worker's last
   * report while it runs; only the commands waiting (an indexed count) are counted each time.
   */
  function status(fresh = true): SyncStatusView {
    const enrolment = terminalEnrolment(store);
    const eventName = enrolment?.eventId ? (store.first(sql.selectFrom('events').select('name').where('id', '=', enrolment.eventId))?.name ?? null) : null;
    const reported = worker ? workerState : null;
    const state = reported?.state ?? null;
    if (!reported && (fresh || ownCounts === null)) ownCounts = settledCounts(store);
    const counts = reported?.counts ?? ownCounts!;
    return {
      enrolled: enrolment !== null,
      serverUrl: enrolment?.serverUrl ?? null,
      deviceName: enrolment?.name ?? null,
      deviceId: enrolment?.deviceId ?? deviceId(store),
      role: enrolment?.role ?? null,
      shortCode: terminalShortCode(store),
      eventId: enrolment?.eventId ?? null,
      eventName,
      enrolledAt: enrolment?.enrolledAt ?? null,
      hasToken: hasToken(enrolment?.enrolledAt ?? null),
      running: worker !== null,
      connection: enrolment === null ? 'not_enrolled' : (state?.connection ?? 'unknown'),
      syncing: state?.syncing ?? false,
      waiting: commandCount(store, 'pending'),
      ...counts,
      lastSyncAt: state?.lastSyncAt ?? lastPushAt(store),
      problem: state?.problem ?? null,
      retryAt: state?.retryAt ?? null,
      clockOffsetMs: serverOffsetMs(store),
    };
  }

  function publishStatus(): void {
    if (!store.db.open) return;
    // Enrolled meanwhile by `box-office sync enrol` in another process: the worker starts now.
    if (!worker && !crashed) startWorker();
    if (listeners.size === 0) return;
    emit({ type: 'sync.status', status: status(false) });
  }

  function startWorker(): void {
    if (worker || stopped || !started) return;
    if (terminalEnrolment(store) === null || readDeviceToken(dataDir) === null) return;
    const request: SyncWorkerRequest = { storeFile: options.storeFile, dataDir, timing: options.timing ?? {}, writeTurns: turns.buffer };
    const current = new Worker(options.workerUrl ?? defaultWorkerUrl(), { workerData: request });
    const thread = current.threadId;
    worker = current;
    workerState = null;
    current.on('message', (message: SyncWorkerMessage) => {
      if (message.type === 'state') {
        workerState = { state: message.state, counts: message.counts };
        publishStatus();
      } else if (message.type === 'event') {
        emit(message.event);
      } else if (message.type === 'unexpected') {
        const error = new Error(message.message);
        if (message.stack) error.stack = message.stack;
        options.onProblem?.('sync: an unexpected error during a sync', error);
      } else {
        const call = calls.get(message.id);
        calls.delete(message.id);
        const { result } = message;
        if (result.ok) call?.resolve(result.value);
        else call?.reject(new DomainError(result.error.code, result.error.message, result.error.field));
      }
    });
    current.on('error', (error) => {
      crashed = true;
      options.onProblem?.('sync: the sync worker stopped on an error', error);
    });
    current.on('exit', () => {
      // Ended inside a transaction (terminated at the stop's grace, or crashed): its turn would
      // otherwise make every write of this process wait out the turn's limit.
      turns.releaseAbandoned(thread);
      if (worker === current) worker = null;
      for (const [id, call] of calls) {
        calls.delete(id);
        call.reject(new DomainError('UNAVAILABLE', 'The sync stopped before it answered: the commands wait on this terminal for the next sync'));
      }
      publishStatus();
    });
  }

  async function stopWorker(): Promise<void> {
    const current = worker;
    if (!current) return;
    const exited = once(current, 'exit');
    current.postMessage({ type: 'stop' } satisfies SyncWorkerCommand);
    const timer = setTimeout(() => void current.terminate(), stopGraceMs);
    await exited;
    clearTimeout(timer);
    if (worker === current) worker = null;
  }

  /** Asks the worker and waits for its answer; refused at once when not enrolled or no worker runs. */
  function callWorker<T>(command: (id: number) => SyncWorkerCommand): Promise<T> {
    if (terminalEnrolment(store) === null) {
      return Promise.reject(new DomainError('NOT_FOUND', 'This terminal is not enrolled: an admin enrols it with a code from the central server'));
    }
    const current = worker;
    if (!current) return Promise.reject(new DomainError('UNAVAILABLE', 'The sync is not running in this process: the desktop app and `box-office serve` run it'));
    const id = nextCallId++;
    return new Promise<T>((resolve, reject) => {
      calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      current.postMessage(command(id));
    });
  }

  return {
    status: () => status(),

    async enrol(input) {
      try {
        await enrolTerminal(store, { dataDir, serverUrl: input.serverUrl, code: input.code, name: input.name, force: input.force, ...(options.fetch ? { fetch: options.fetch } : {}) });
      } catch (error) {
        if (error instanceof SyncError) {
          const failed = syncFailure(error, 0, { serverUrl: 'serverUrl' });
          // The server names the code it refused as `code`; every other refusal is about the enrolment as a whole.
          throw new DomainError(failed.code, failed.message, failed.field);
        }
        if (error instanceof DomainError && error.code === 'CONFLICT') throw conflict(error.message.replace(': add --force to enrol it again', ': tick "Enrol again" to replace it'), 'force');
        throw error;
      }
      // A new server or token: the worker starts over with them.
      await stopWorker();
      crashed = false;
      startWorker();
      publishStatus();
      return status();
    },

    syncNow: () => callWorker<SyncNowResult>((id) => ({ type: 'syncNow', id })),

    check: (input) => callWorker<CheckSummary>((id) => ({ type: 'check', id, repair: input.repair })),

    commands: (filter, limit) => commandViews(store, filter, limit),

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    start() {
      started = true;
      startWorker();
    },

    commandWritten() {
      if (commandNoticed) return;
      commandNoticed = true;
      setImmediate(() => {
        commandNoticed = false;
        worker?.postMessage({ type: 'commandWritten' } satisfies SyncWorkerCommand);
        publishStatus();
      });
    },

    async stop() {
      stopped = true;
      await stopWorker();
    },
  };
}
