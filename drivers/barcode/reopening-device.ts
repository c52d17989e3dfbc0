import type { ReaderEvent, ReaderEventListener } from '../reader.ts';

/**
 * Keeps one device open for a reader: opens it, reports `connected`, and when it goes away (unplug,
 * read error) reports `disconnected` and opens it again after a growing pause. Failed attempts are
 * reported as retryable errors; an error the device cannot recover from (the driver's native
 * library is missing) is reported once as not retryable, and then nothing more is tried.
 */

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: Backoff = { initialMs: 500, maxMs: 10_000 };

export interface DeviceLink<H> {
  /** Opens the device; the handle is given to `attach` and `close`. */
  open(): Promise<H>;
  /** Starts reading from the handle; calls `lost` once if the device goes away. */
  attach(handle: H, lost: (reason: string) => void): void;
  close(handle: H): Promise<void>;
  /** How an open failure is reported: its code, message, and whether retrying can help. */
  describeFailure(error: unknown): { code: string; message: string; retryable: boolean };
}

export interface ReopeningDevice {
  start(): Promise<void>;
  stop(): Promise<void>;
  onEvent(listener: ReaderEventListener): () => void;
  emit(event: ReaderEvent): void;
}

export function createReopeningDevice<H>(readerId: string, link: DeviceLink<H>, backoff: Backoff = defaultBackoff): ReopeningDevice {
  const listeners = new Set<ReaderEventListener>();
  let handle: H | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = backoff.initialMs;
  let running = false;
  /** Bumped on stop and on every loss, so a late open or loss from an older attempt is ignored. */
  let generation = 0;

  const emit = (event: ReaderEvent) => {
    if (!running) return;
    for (const listener of [...listeners]) listener(event);
  };

  const scheduleAttempt = () => {
    if (!running) return;
    const wait = delay;
    delay = Math.min(delay * 2, backoff.maxMs);
    timer = setTimeout(() => {
      timer = undefined;
      void attempt();
    }, wait);
  };

  async function attempt(): Promise<void> {
    const mine = generation;
    let opened: H;
    try {
      opened = await link.open();
    } catch (error) {
      if (mine !== generation || !running) return;
      const failure = link.describeFailure(error);
      emit({ type: 'error', readerId, code: failure.code, message: failure.message, retryable: failure.retryable });
      if (failure.retryable) scheduleAttempt();
      return;
    }
    if (mine !== generation || !running) {
      await link.close(opened).catch(() => undefined);
      return;
    }
    handle = opened;
    delay = backoff.initialMs;
    link.attach(opened, (reason) => {
      if (mine !== generation || handle !== opened) return;
      generation += 1;
      handle = undefined;
      void link.close(opened).catch(() => undefined);
      emit({ type: 'disconnected', readerId, reason });
      scheduleAttempt();
    });
    emit({ type: 'connected', readerId });
  }

  return {
    async start() {
      if (running) return;
      running = true;
      delay = backoff.initialMs;
      await attempt();
    },
    async stop() {
      if (!running) return;
      emit({ type: 'disconnected', readerId, reason: 'Reader stopped' });
      running = false;
      generation += 1;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const open = handle;
      handle = undefined;
      if (open !== undefined) await link.close(open).catch(() => undefined);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
  };
}
