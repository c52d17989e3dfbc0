import { pino, type Logger } from 'pino';
import { openDatabase } from '../db/connection.ts';
import { startCheckpointer, type Checkpointer } from '../db/checkpointer.ts';
import { Store } from '../db/store.ts';
import { AnsweredScans } from '../core/checkin/answered-scans.ts';
import { createCore, type BoxOfficeCore, type CoreSession } from '../core/api/core.ts';
import type { Caller } from '../core/operators/session.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { Result } from '../core/result.ts';
import { dailyLogStream } from './daily-log.ts';
import { ensureDataDir, storeFile } from './data-dir.ts';
import { createImportJobs } from './jobs/import-job.ts';
import { listReaderConfigurations } from '../core/devices/reader-configurations.ts';
import { startCheckinStation } from './devices/checkin-station.ts';
import { createDeviceManager, type HostDeviceManager } from './devices/device-manager.ts';
import { discoverCandidates } from './devices/discovery.ts';
import { probeReaderDrivers } from './devices/driver-probe.ts';
import { createReaderFactory } from './devices/reader-drivers.ts';
import { createHostSync, type HostSync, type SyncTiming } from './sync/terminal-sync.ts';

export interface HostOptions {
  dataDir: string;
  /**
   * Who `core.invoke` acts as (recorded in the audit log, role checked): the CLI's --operator or
   * its local administrator. Clients with their own sign-in use `core.openSession()`.
   */
  caller?: Caller | null;
  clock?: Clock;
  /** pino level; defaults to BOX_OFFICE_LOG_LEVEL or 'info'. */
  logLevel?: string;
  /** The sync worker's timing (tests shorten its backoff). */
  syncTiming?: SyncTiming;
}

export interface Host {
  store: Store;
  core: BoxOfficeCore;
  /** Readers: configured always; run only once a long-lived host calls `devices.startReaders()`. */
  devices: HostDeviceManager;
  logger: Logger;
  dataDir: string;
  /** Today's log file, to point people at when something unexpected happened. */
  logFile(): string;
  /**
   * For long-running hosts (web host, desktop app): checkpoint the WAL on a worker thread so no
   * scan or edit pays for a checkpoint in its commit. Short CLI commands do not need it.
   */
  startBackgroundCheckpoints(): void;
  /**
   * The sync with the central server: long-running hosts call `sync.start()` (the worker runs once
   * the terminal is enrolled, from the Sync screen or `box-office sync enrol`). `close()` stops it;
   * await `sync.stop()` first where the thread must be gone (tests).
   */
  sync: HostSync;
  close(): void;
}

/**
 * The composition root every host uses (the CLI, the web host and the Electron main process): the
 * data folder, its store, the core over it with its import jobs and readers, the check-in station
 * and the log. Logs are structured and hold no personal data at info
 * level: operations are logged by name, outcome code and duration, never with their input.
 */
export function createHost(options: HostOptions): Host {
  const dataDir = ensureDataDir(options.dataDir);
  const clock = options.clock ?? systemClock;
  const logStream = dailyLogStream(dataDir, clock);
  const logger = pino(
    {
      level: options.logLevel ?? process.env.BOX_OFFICE_LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      timestamp: () => `,"time":"${clock.now().toISOString()}"`,
    },
    logStream,
  );

  let store: Store;
  try {
    store = new Store(openDatabase(storeFile(dataDir)));
  } catch (error) {
    logger.error({ err: error, file: storeFile(dataDir) }, 'could not open the store');
    logStream.close();
    throw error;
  }
  logger.info({ dataDir, node: process.versions.node }, 'store opened');

  // Imports run in a worker thread with their own connection; their timestamps use the system clock.
  const importJobs = createImportJobs({ storeFile: storeFile(dataDir) });
  const devices = createDeviceManager({
    loadConfigurations: () => listReaderConfigurations(store),
    createReader: createReaderFactory(),
    discover: () => discoverCandidates(),
    probeDrivers: () => probeReaderDrivers(),
    clock,
    onProblem: (message, error) => logger.warn({ err: error }, message),
  });
  devices.onEvent((event) => {
    if (event.type === 'reader.status') logger.info({ reader: event.status.readerId, state: event.status.state, reason: event.status.reason }, 'reader status');
  });
  const sync = createHostSync({
    store,
    storeFile: storeFile(dataDir),
    dataDir,
    ...(options.syncTiming ? { timing: options.syncTiming } : {}),
    onProblem: (message, error) => logger.error({ err: error }, message),
  });
  const inner = createCore({
    store,
    devices,
    sync,
    // Every command that reaches the outbox wakes the sync worker (once per turn of the event loop: host/sync/terminal-sync.ts).
    observeCommand: (envelope, outcome) => {
      if (outcome.ok && envelope.seq !== null) sync.commandWritten();
    },
    jobs: importJobs.jobs,
    clock,
    caller: options.caller ?? null,
    onInternalError: (error, operation) => logger.error({ err: error, operation }, 'internal error'),
  });

  async function logged(session: CoreSession, name: unknown, input: unknown): Promise<Result<unknown>> {
    const started = performance.now();
    const result = await session.invokeUnknown(name, input);
    if (logger.isLevelEnabled('debug')) {
      // Domain errors (bad input, unknown ids) are ordinary; their messages may name people, so
      // only the code and field are logged.
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const outcome = result.ok ? { outcome: 'ok' } : { outcome: result.error.code, field: result.error.field };
      logger.debug({ operation: String(name).slice(0, 80), ms, ...outcome }, 'operation');
    }
    return result;
  }

  function withLog(session: CoreSession): CoreSession {
    const invokeUnknown = (name: unknown, input: unknown) => logged(session, name, input);
    return { session: session.session, invoke: invokeUnknown as CoreSession['invoke'], invokeUnknown, subscribe: (listener) => session.subscribe(listener) };
  }
  const core: BoxOfficeCore = {
    ...withLog(inner),
    context: inner.context,
    openSession: () => withLog(inner.openSession()),
  };

  // Scans a previous run answered while its sync worker wrote and had not recorded when it ended
  // are recorded now, before anything else is written (core/checkin/answered-scans.ts).
  const answeredScans = AnsweredScans.of(inner.context);
  const { leftBehind } = answeredScans;
  if (leftBehind.recorded > 0) logger.warn({ scans: leftBehind.recorded }, 'recorded the scans the last run answered and had not recorded');
  if (leftBehind.failed.length > 0) logger.error({ lines: leftBehind.failed }, 'scans the last run answered could not be recorded: they stay in the answered scans file');

  // Registered after the core: a reader event reaches the screens before the verdict it leads to.
  const stopCheckinStation = startCheckinStation({ store, core, onDeviceEvent: (listener) => devices.onEvent(listener), logger });

  let closed = false;
  let checkpointer: Checkpointer | undefined;
  return {
    store,
    core,
    devices,
    logger,
    dataDir,
    sync,
    logFile: () => logStream.currentFile(),
    startBackgroundCheckpoints() {
      if (!closed) checkpointer ??= startCheckpointer(store.db);
    },
    close() {
      if (closed) return;
      closed = true;
      stopCheckinStation();
      void sync.stop();
      void checkpointer?.stop();
      void devices.stopReaders();
      void importJobs.close();
      if (answeredScans.owed) {
        try {
          store.recordOwedWrites();
        } catch (error) {
          logger.error({ err: error }, 'answered scans not recorded at close: they are in the answered scans file, recorded at the next start');
        }
      }
      store.close();
      logger.info('store closed');
      logStream.close();
    },
  };
}
