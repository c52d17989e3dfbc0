/**
 * The PN532 NFC reader over UART (HSU, 115200 8N1). One state machine per device:
 *
 *   opening → configuring (wake-up + SAMConfiguration, GetFirmwareVersion, RFConfiguration
 *   MaxRetries) → polling (InListPassiveTarget 106A, InRelease) ⇄ tag present
 *        ↑ a failed command: reconfigure; repeated configuration failures or an unplug: close,
 *          then reopen with exponential backoff until the device answers again.
 *
 * Exactly one command is in flight. Each waits for the ACK (ackTimeoutMs), then for its response
 * (responseTimeoutMs); a corrupt or truncated response is asked for again with a NACK, and a
 * response that never comes is aborted with an ACK, as UM0701-02 section 6.2.1.3 describes.
 */
import type { Reader, ReaderEvent, ReaderEventListener } from '../reader.ts';
import { openSerialTransport, type OpenSerialTransport, type SerialTransport } from '../serial/serial-transport.ts';
import {
  answers,
  encodeCommand,
  getFirmwareVersion,
  hsuWakeUp,
  inListPassiveTarget106A,
  inRelease,
  parseEmptyResponse,
  parseFirmwareVersion,
  parseInListPassiveTarget106A,
  parseInRelease,
  rfConfigurationMaxRetries,
  samConfigurationNormal,
  type FirmwareVersion,
  type PassiveTarget,
  type Pn532Command,
} from './commands.ts';
import { ackFrame, nackFrame, Pn532FrameDecoder, pn532ToHost, toHex, type Pn532Frame } from './frame-codec.ts';
import { isRandomUid, tagKind } from './tag-kind.ts';

export interface Pn532Timing {
  /** The PN532 ACKs a command within a millisecond or two; this is the wait before giving up. */
  ackTimeoutMs: number;
  /** Wait for a response after the ACK (InListPassiveTarget with finite retries answers in ~50 ms). */
  responseTimeoutMs: number;
  /** Pause between two polls. */
  pollIntervalMs: number;
  /** Empty polls in a row after which a present tag counts as removed. */
  removalPolls: number;
  /** NACKs sent for one command before its response counts as lost. */
  maxResends: number;
  /** Failed configurations or polls in a row (no good poll between) before the port is reopened. */
  configureAttempts: number;
  /** First reopen delay; doubles on each failure up to reconnectMaxMs. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** RFConfiguration MxRtyPassiveActivation: finite, so an empty reader answers "no target". */
  passiveActivationRetries: number;
}

export const defaultPn532Timing: Pn532Timing = {
  ackTimeoutMs: 200,
  responseTimeoutMs: 1000,
  pollIntervalMs: 100,
  removalPolls: 2,
  maxResends: 2,
  configureAttempts: 3,
  reconnectInitialMs: 250,
  reconnectMaxMs: 5000,
  passiveActivationRetries: 2,
};

export interface Pn532ReaderOptions {
  path: string;
  /** Defaults to `pn532:<path>`. */
  id?: string;
  baudRate?: number;
  timing?: Partial<Pn532Timing>;
  /** The serial transport; tests may pass another. */
  openTransport?: OpenSerialTransport;
}

export type Pn532State = 'stopped' | 'opening' | 'configuring' | 'polling' | 'recovering' | 'unavailable';

/** `code` ENDED: the port went away or the reader is stopping; not an error to report. */
type Failure = { ok: false; code: string; message: string };
type Outcome<T> = { ok: true; value: T } | Failure;

const ended: Failure = { ok: false, code: 'ENDED', message: 'the port closed or the reader stopped' };

/** Waits `ms`, or less if `signal` aborts. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** One open port: decodes what arrives and hands frames to the one command waiting for them. */
class Link {
  readonly transport: SerialTransport;
  private readonly decoder = new Pn532FrameDecoder();
  private readonly signal: AbortSignal;
  private frames: Pn532Frame[] = [];
  private wake: (() => void) | undefined;
  private readonly unsubscribe: Array<() => void>;
  lostReason: string | undefined;

  constructor(transport: SerialTransport, signal: AbortSignal) {
    this.transport = transport;
    this.signal = signal;
    const notify = () => this.wake?.();
    this.unsubscribe = [
      transport.onData((chunk) => {
        this.frames.push(...this.decoder.feed(chunk));
        notify();
      }),
      transport.onClose((reason) => {
        this.lostReason = reason;
        notify();
      }),
    ];
    signal.addEventListener('abort', notify, { once: true });
    this.unsubscribe.push(() => signal.removeEventListener('abort', notify));
  }

  get ended(): boolean {
    return this.lostReason !== undefined || this.signal.aborted;
  }

  /** Drops frames and partial bytes left over from an earlier, abandoned command. */
  discardStale(): void {
    this.frames = [];
    this.decoder.reset();
  }

  /** A quiet line with part of a frame buffered: that frame was truncated. */
  flushTruncated(): Pn532Frame[] {
    return this.decoder.pending ? this.decoder.flush() : [];
  }

  next(timeoutMs: number): Promise<Pn532Frame | 'timeout' | 'ended'> {
    const queued = this.frames.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve('ended');
    return new Promise((resolve) => {
      const finish = (result: Pn532Frame | 'timeout' | 'ended') => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(result);
      };
      const timer = setTimeout(() => finish('timeout'), Math.max(0, timeoutMs));
      this.wake = () => {
        const frame = this.frames.shift();
        if (frame) finish(frame);
        else if (this.ended) finish('ended');
      };
    });
  }

  async write(bytes: Uint8Array): Promise<boolean> {
    if (this.ended) return false;
    try {
      await this.transport.write(bytes);
      return true;
    } catch (error) {
      this.lostReason ??= `${this.transport.path}: ${error instanceof Error ? error.message : String(error)}`;
      return false;
    }
  }

  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.wake?.();
    await this.transport.close().catch(() => undefined);
  }
}

interface PresentTag {
  uid: string;
  emptyPolls: number;
}

export class Pn532Reader implements Reader {
  readonly id: string;
  private readonly path: string;
  private readonly baudRate: number;
  private readonly timing: Pn532Timing;
  private readonly openTransport: OpenSerialTransport;
  private readonly listeners = new Set<ReaderEventListener>();
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private connected = false;
  private tag: PresentTag | undefined;
  private lastOpenError: string | undefined;
  private currentState: Pn532State = 'stopped';
  /** What the device reported the last time it was configured. */
  firmware: FirmwareVersion | undefined;

  constructor(options: Pn532ReaderOptions) {
    this.path = options.path;
    this.id = options.id ?? `pn532:${options.path}`;
    this.baudRate = options.baudRate ?? 115200;
    this.timing = { ...defaultPn532Timing, ...options.timing };
    this.openTransport = options.openTransport ?? ((open) => openSerialTransport(open));
  }

  get state(): Pn532State {
    return this.currentState;
  }

  onEvent(listener: ReaderEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.running) return;
    const controller = new AbortController();
    this.controller = controller;
    this.running = this.run(controller.signal).finally(() => {
      if (this.currentState !== 'unavailable') this.currentState = 'stopped';
    });
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.controller?.abort();
    await running;
    this.running = undefined;
    this.controller = undefined;
    this.currentState = 'stopped';
  }

  private emit(event: ReaderEvent): void {
    for (const listener of [...this.listeners]) {
      // A listener's bug must not stop the reader.
      try {
        listener(event);
      } catch {
        // ignored on purpose
      }
    }
  }

  private emitError(code: string, message: string, retryable: boolean): void {
    this.emit({ type: 'error', readerId: this.id, code, message, retryable });
  }

  private async run(signal: AbortSignal): Promise<void> {
    let reconnects = 0;
    while (!signal.aborted) {
      this.currentState = 'opening';
      let transport: SerialTransport;
      try {
        transport = await this.openTransport({ path: this.path, baudRate: this.baudRate });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const message = error instanceof Error ? error.message : String(error);
        if (code === 'DRIVER_UNAVAILABLE') {
          this.currentState = 'unavailable';
          this.emitError('DRIVER_UNAVAILABLE', message, false);
          return;
        }
        // One error per outage, not one per reopen attempt.
        const errorCode = typeof code === 'string' ? code : 'OPEN_FAILED';
        if (this.lastOpenError !== errorCode) {
          this.lastOpenError = errorCode;
          this.emitError(errorCode, message, true);
        }
        this.currentState = 'recovering';
        await pause(this.backoff(reconnects++), signal);
        continue;
      }
      if (signal.aborted) {
        await transport.close().catch(() => undefined);
        break;
      }
      const link = new Link(transport, signal);
      const reason = await this.serve(link, signal, () => {
        reconnects = 0;
      });
      await link.close();
      this.disconnect(reason);
      if (signal.aborted) break;
      this.currentState = 'recovering';
      await pause(this.backoff(reconnects++), signal);
    }
  }

  private backoff(attempt: number): number {
    return Math.min(this.timing.reconnectInitialMs * 2 ** Math.min(attempt, 30), this.timing.reconnectMaxMs);
  }

  private disconnect(reason: string): void {
    if (this.tag) {
      this.emit({ type: 'tagRemoved', readerId: this.id, uid: this.tag.uid });
      this.tag = undefined;
    }
    if (this.connected) {
      this.connected = false;
      this.emit({ type: 'disconnected', readerId: this.id, reason });
    }
  }

  /**
   * Configures and polls one open port; returns why it gave up on it. A failure is a failed
   * configuration or a failed poll; `configureAttempts` of them with no good poll in between mean
   * the port itself is in trouble, so it is closed and reopened.
   */
  private async serve(link: Link, signal: AbortSignal, healthy: () => void): Promise<string> {
    let failures = 0;
    const givenUp = () => `the PN532 on ${this.path} stopped answering; reopening the port`;
    while (!signal.aborted && !link.ended) {
      this.currentState = 'configuring';
      const configuration = await this.configure(link);
      if (!configuration.ok) {
        if (configuration.code === 'ENDED') break;
        failures += 1;
        this.emitError(configuration.code, `Configuring the PN532 on ${this.path} failed: ${configuration.message}`, true);
        if (failures >= this.timing.configureAttempts) return givenUp();
        continue;
      }
      this.lastOpenError = undefined;
      if (!this.connected) {
        this.connected = true;
        this.emit({ type: 'connected', readerId: this.id });
      }
      this.currentState = 'polling';
      for (;;) {
        const poll = await this.poll(link);
        if (!poll.ok) {
          if (poll.code === 'ENDED') break;
          failures += 1;
          this.emitError(poll.code, `Polling the PN532 on ${this.path} failed: ${poll.message}; reconfiguring`, true);
          if (failures >= this.timing.configureAttempts) return givenUp();
          break;
        }
        failures = 0;
        healthy();
        await pause(this.timing.pollIntervalMs, signal);
        if (link.ended) break;
      }
    }
    if (signal.aborted) return 'stopped';
    return link.lostReason ?? `${this.path} closed`;
  }

  private async configure(link: Link): Promise<Outcome<FirmwareVersion>> {
    // The wake-up bytes go in the same write as SAMConfiguration: the PN532 must get that command
    // first after leaving power-down.
    const sam = samConfigurationNormal();
    const samResponse = await this.exchange(link, sam, hsuWakeUp());
    if (!samResponse.ok) return samResponse;
    const samParsed = parseEmptyResponse(samResponse.value, sam);
    if (!samParsed.ok) return { ok: false, code: 'BAD_RESPONSE', message: samParsed.reason };

    const firmwareResponse = await this.exchange(link, getFirmwareVersion());
    if (!firmwareResponse.ok) return firmwareResponse;
    const firmware = parseFirmwareVersion(firmwareResponse.value);
    if (!firmware.ok) return { ok: false, code: 'BAD_RESPONSE', message: firmware.reason };

    const rf = rfConfigurationMaxRetries({ atrRes: 0xff, psl: 0x01, passiveActivation: this.timing.passiveActivationRetries });
    const rfResponse = await this.exchange(link, rf);
    if (!rfResponse.ok) return rfResponse;
    const rfParsed = parseEmptyResponse(rfResponse.value, rf);
    if (!rfParsed.ok) return { ok: false, code: 'BAD_RESPONSE', message: rfParsed.reason };

    this.firmware = firmware.value;
    return { ok: true, value: firmware.value };
  }

  /** One InListPassiveTarget (and InRelease when it found a tag); emits tag events. */
  private async poll(link: Link): Promise<Outcome<null>> {
    const response = await this.exchange(link, inListPassiveTarget106A());
    if (!response.ok) return response;
    const targets = parseInListPassiveTarget106A(response.value);
    if (!targets.ok) return { ok: false, code: 'BAD_RESPONSE', message: targets.reason };
    const target = targets.value[0];
    if (!target) {
      this.noTarget();
      return { ok: true, value: null };
    }
    this.targetFound(target);
    // Releasing lets the next InListPassiveTarget select the same tag again (the PN532 wakes it with WUPA).
    const release = inRelease(target.targetNumber);
    const released = await this.exchange(link, release);
    if (!released.ok) return released;
    const status = parseInRelease(released.value);
    if (!status.ok) return { ok: false, code: 'BAD_RESPONSE', message: status.reason };
    return { ok: true, value: null };
  }

  private targetFound(target: PassiveTarget): void {
    const uid = toHex(target.uid);
    if (this.tag?.uid === uid) {
      this.tag.emptyPolls = 0;
      return;
    }
    if (this.tag) this.emit({ type: 'tagRemoved', readerId: this.id, uid: this.tag.uid });
    this.tag = { uid, emptyPolls: 0 };
    this.emit({
      type: 'tagPresented',
      readerId: this.id,
      uid,
      atqa: toHex(target.atqa),
      sak: toHex(Uint8Array.of(target.sak)),
      kind: tagKind(target.atqa, target.sak),
      randomUid: isRandomUid(target.uid),
    });
  }

  private noTarget(): void {
    if (!this.tag) return;
    this.tag.emptyPolls += 1;
    if (this.tag.emptyPolls >= this.timing.removalPolls) {
      const { uid } = this.tag;
      this.tag = undefined;
      this.emit({ type: 'tagRemoved', readerId: this.id, uid });
    }
  }

  /**
   * Sends one command and returns its response data (after TFI D5). `prefix` goes out in the same
   * write, before the frame (the HSU wake-up).
   */
  private async exchange(link: Link, command: Pn532Command, prefix?: Uint8Array): Promise<Outcome<Uint8Array>> {
    link.discardStale();
    const frame = encodeCommand(command);
    const bytes = prefix ? Uint8Array.of(...prefix, ...frame) : frame;
    if (!(await link.write(bytes))) return ended;

    let acked = false;
    let resends = 0;
    let deadline = performance.now() + this.timing.ackTimeoutMs;
    const requestResend = async (): Promise<Outcome<Uint8Array> | undefined> => {
      if (resends >= this.timing.maxResends) {
        await link.write(ackFrame());
        return { ok: false, code: 'CORRUPT_RESPONSE', message: `${command.name} response stayed corrupt after ${resends} resend requests` };
      }
      resends += 1;
      deadline = performance.now() + this.timing.responseTimeoutMs;
      return (await link.write(nackFrame())) ? undefined : ended;
    };

    for (;;) {
      const next = await link.next(deadline - performance.now());
      if (next === 'ended') return ended;
      if (next === 'timeout') {
        if (!acked) return { ok: false, code: 'ACK_TIMEOUT', message: `no ACK to ${command.name} within ${this.timing.ackTimeoutMs} ms` };
        if (link.flushTruncated().some((flushed) => flushed.type === 'corrupt')) {
          const outcome = await requestResend();
          if (outcome) return outcome;
          continue;
        }
        // Abort the command so the PN532 is ready for the next one.
        await link.write(ackFrame());
        return { ok: false, code: 'RESPONSE_TIMEOUT', message: `no response to ${command.name} within ${this.timing.responseTimeoutMs} ms` };
      }
      switch (next.type) {
        case 'ack':
          if (!acked) {
            acked = true;
            deadline = performance.now() + this.timing.responseTimeoutMs;
          }
          break;
        case 'information':
          // A response whose ACK was lost is still the response; anything else is a stale answer.
          if (next.tfi === pn532ToHost && answers(next.data, command)) return { ok: true, value: next.data };
          break;
        case 'error':
          return { ok: false, code: 'COMMAND_REJECTED', message: `the PN532 reported a syntax error for ${command.name}` };
        case 'corrupt':
          // Before the ACK this is line noise; after it, it was our response.
          if (acked) {
            const outcome = await requestResend();
            if (outcome) return outcome;
          }
          break;
        case 'nack':
          break;
      }
    }
  }
}
