import type { CoreEvent } from '../../core/api/pubsub.ts';
import type { Clock } from '../../core/clock.ts';
import type { DeviceManager } from '../../core/devices/device-manager.ts';
import { readerDriverNames, type ReaderDriverName, type ReaderStatus } from '../../core/readers/readers.contract.ts';
import type { ReaderConfiguration } from '../../core/devices/reader-configurations.ts';
import { DomainError, notFound } from '../../core/errors.ts';
import type { Backoff } from '../../drivers/barcode/reopening-device.ts';
import type { Reader, ReaderEvent } from '../../drivers/reader.ts';
import type { SimulatedReader } from '../../drivers/simulated/simulated-reader.ts';
import type { Discovery } from './discovery.ts';
import type { ReaderFactory } from './reader-drivers.ts';

/**
 * The host's device manager: runs one driver per configured reader, keeps each reader's status
 * (connecting, connected, disconnected with the reason, error, unavailable) and last tag or
 * barcode, and publishes every reader event and status change to the core's subscribers.
 *
 * Drivers reopen their own device after an unplug (with backoff). The manager restarts a reader
 * only when it gives up (a non-retryable error, or start() failing), again with backoff; a reader
 * whose driver cannot load here (missing system library) is marked unavailable and left alone.
 */

export interface HostDeviceManager extends DeviceManager {
  /** Starts every configured reader, and later ones as they are added (desktop app, `serve`). */
  startReaders(): Promise<void>;
  stopReaders(): Promise<void>;
}

export interface DeviceManagerOptions {
  loadConfigurations(): ReaderConfiguration[];
  createReader: ReaderFactory;
  discover(): Promise<Discovery>;
  /** Which drivers can load here; probed once, when first asked. */
  probeDrivers?: () => Promise<Partial<Record<ReaderDriverName, string | null>>>;
  clock: Clock;
  restartBackoff?: Backoff;
  /** Unexpected failures (a driver throwing from stop), for the log. */
  onProblem?: (message: string, error: unknown) => void;
}

interface Running {
  configuration: ReaderConfiguration;
  reader: Reader;
  unsubscribe(): void;
  restartTimer?: ReturnType<typeof setTimeout>;
  restartDelay: number;
}

const isSimulated = (reader: Reader): reader is SimulatedReader => 'presentTag' in reader && 'scanBarcode' in reader;

export function createDeviceManager(options: DeviceManagerOptions): HostDeviceManager {
  const backoff = options.restartBackoff ?? { initialMs: 2000, maxMs: 60_000 };
  const listeners = new Set<(event: CoreEvent) => void>();
  const statuses = new Map<string, ReaderStatus>();
  const lastEvents = new Map<string, { event: ReaderEvent; at: string }>();
  const running = new Map<string, Running>();
  const unavailableDrivers = new Map<ReaderDriverName, string>();
  let probed: Promise<void> | undefined;
  let active = false;

  const now = () => options.clock.now().toISOString();
  const publish = (event: CoreEvent) => {
    for (const listener of [...listeners]) listener(event);
  };

  function setStatus(readerId: string, state: ReaderStatus['state'], reason: string | null): void {
    const previous = statuses.get(readerId);
    if (previous && previous.state === state && previous.reason === reason) return;
    const status: ReaderStatus = { readerId, state, reason, since: now() };
    statuses.set(readerId, status);
    publish({ type: 'reader.status', status });
  }

  function scheduleRestart(entry: Running): void {
    if (entry.restartTimer || !active) return;
    const delay = entry.restartDelay;
    entry.restartDelay = Math.min(entry.restartDelay * 2, backoff.maxMs);
    entry.restartTimer = setTimeout(() => {
      entry.restartTimer = undefined;
      if (running.get(entry.configuration.id) !== entry) return;
      void stopEntry(entry, false).then(() => {
        if (active && !running.has(entry.configuration.id)) void startReader(entry.configuration, entry.restartDelay);
      });
    }, delay);
  }

  function onReaderEvent(entry: Running, event: ReaderEvent): void {
    const id = entry.configuration.id;
    if (running.get(id) !== entry) return;
    publish({ type: 'reader', event });
    switch (event.type) {
      case 'connected':
        entry.restartDelay = backoff.initialMs;
        setStatus(id, 'connected', null);
        break;
      case 'disconnected':
        setStatus(id, 'disconnected', event.reason);
        break;
      case 'error':
        if (event.code === 'DRIVER_UNAVAILABLE') {
          unavailableDrivers.set(entry.configuration.driver, event.message);
          setStatus(id, 'unavailable', event.message);
        } else if (!event.retryable) {
          setStatus(id, 'error', event.message);
          scheduleRestart(entry);
        } else if (statuses.get(id)?.state !== 'connected') {
          setStatus(id, 'disconnected', event.message);
        }
        break;
      default:
        lastEvents.set(id, { event, at: now() });
    }
  }

  async function startReader(configuration: ReaderConfiguration, restartDelay = backoff.initialMs): Promise<void> {
    let reader: Reader;
    try {
      reader = options.createReader(configuration);
    } catch (error) {
      setStatus(configuration.id, 'error', error instanceof Error ? error.message : String(error));
      return;
    }
    const entry: Running = { configuration, reader, restartDelay, unsubscribe: () => undefined };
    running.set(configuration.id, entry);
    entry.unsubscribe = reader.onEvent((event) => onReaderEvent(entry, event));
    setStatus(configuration.id, 'connecting', null);
    try {
      await reader.start();
    } catch (error) {
      if (running.get(configuration.id) !== entry) return;
      setStatus(configuration.id, 'error', error instanceof Error ? error.message : String(error));
      scheduleRestart(entry);
    }
  }

  async function stopEntry(entry: Running, removed: boolean): Promise<void> {
    const id = entry.configuration.id;
    if (entry.restartTimer) clearTimeout(entry.restartTimer);
    entry.restartTimer = undefined;
    if (running.get(id) === entry) running.delete(id);
    try {
      await entry.reader.stop();
    } catch (error) {
      options.onProblem?.(`reader ${id} failed to stop`, error);
    }
    entry.unsubscribe();
    if (removed) {
      setStatus(id, 'stopped', null);
      statuses.delete(id);
      lastEvents.delete(id);
    }
  }

  async function reconcile(): Promise<void> {
    const wanted = new Map(options.loadConfigurations().map((configuration) => [configuration.id, configuration]));
    const stops = [...running.values()].filter((entry) => !wanted.has(entry.configuration.id)).map((entry) => stopEntry(entry, true));
    await Promise.all(stops);
    if (!active) return;
    await Promise.all([...wanted.values()].filter((configuration) => !running.has(configuration.id)).map((configuration) => startReader(configuration)));
  }

  function probe(): Promise<void> {
    probed ??= (options.probeDrivers?.() ?? Promise.resolve({})).then(
      (results) => {
        for (const [driver, problem] of Object.entries(results) as [ReaderDriverName, string | null][]) {
          if (problem) unavailableDrivers.set(driver, problem);
        }
      },
      (error: unknown) => options.onProblem?.('probing reader drivers failed', error),
    );
    return probed;
  }

  return {
    get running() {
      return active;
    },
    status(readerId) {
      return statuses.get(readerId) ?? { readerId, state: 'stopped', reason: active ? null : 'Readers run while Box Office is open (the desktop app, or the browser version started by npm start)', since: now() };
    },
    lastEvent: (readerId) => lastEvents.get(readerId) ?? null,
    async drivers() {
      await probe();
      return readerDriverNames.map((driver) => {
        const problem = unavailableDrivers.get(driver);
        return { driver, available: problem === undefined, message: problem ?? null };
      });
    },
    candidates: () => options.discover(),
    configurationChanged() {
      if (active) void reconcile();
    },
    simulate(readerId, action) {
      const entry = running.get(readerId);
      if (!entry) throw new DomainError('UNAVAILABLE', `Reader ${readerId} is not running in this process`, 'readerId');
      if (!isSimulated(entry.reader)) throw notFound(`Reader ${readerId} is not a simulated reader`, 'readerId');
      switch (action.type) {
        case 'presentTag':
          return entry.reader.presentTag({ uid: action.uid, ...(action.kind ? { kind: action.kind } : {}), ...(action.holdMs !== undefined ? { holdMs: action.holdMs } : {}) });
        case 'removeTag':
          return entry.reader.removeTag();
        case 'scanBarcode':
          return entry.reader.scanBarcode(action.text, action.symbology);
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async startReaders() {
      active = true;
      await reconcile();
    },
    async stopReaders() {
      active = false;
      await Promise.all([...running.values()].map((entry) => stopEntry(entry, false)));
      for (const id of [...statuses.keys()]) setStatus(id, 'stopped', null);
    },
  };
}
