/**
 * A PN532 seen from the wire: it reads host frames (HSU) and answers the way the chip does, so the
 * driver can be tested byte for byte, through a real pseudo-terminal, without hardware. Faults can
 * be injected into the next command(s) to prove the driver survives them.
 *
 * Power-on behaviour is strict by default: the chip ignores everything until an HSU wake-up (0x55),
 * answers nothing but SAMConfiguration and GetFirmwareVersion until SAM-configured, and with the
 * default infinite passive-activation retries an empty InListPassiveTarget never returns.
 */
import { commandCodes, type CommandName } from './commands.ts';
import { ackFrame, encodeInformationFrame, errorFrame, fromHex, hostToPn532, Pn532FrameDecoder, pn532ToHost } from './frame-codec.ts';
import { atqaWithUidSize } from './tag-kind.ts';

export interface EmulatedTag {
  uid: Uint8Array;
  /** SENS_RES, most significant byte first as the PN532 reports it. */
  atqa: number;
  sak: number;
  /** ISO 14443-4 answer to select, TL first. */
  ats?: Uint8Array;
}

const tagWith = (uidHex: string, atqa: number, sak: number, ats?: Uint8Array): EmulatedTag => {
  const uid = fromHex(uidHex);
  if (uid.length !== 4 && uid.length !== 7 && uid.length !== 10) throw new Error(`an ISO 14443A UID has 4, 7 or 10 bytes, not ${uid.length}`);
  return { uid, atqa: atqaWithUidSize(atqa, uid.length), sak, ...(ats ? { ats } : {}) };
};

/** Tags with the SAK/ATQA (and ATS) of real products; the UID size bits of ATQA follow the UID. */
export const emulatedTags = {
  ntag213: (uidHex: string) => tagWith(uidHex, 0x0044, 0x00),
  mifareClassic1k: (uidHex: string) => tagWith(uidHex, 0x0004, 0x08),
  desfireEv1: (uidHex: string) => tagWith(uidHex, 0x0344, 0x20, fromHex('06 75 77 81 02 80')),
};

export type Pn532Fault =
  /** Line noise (including a false start code) before the ACK. */
  | 'garbageBeforeAck'
  /** No ACK, but the response still comes. */
  | 'dropAck'
  /** The response's data checksum is wrong; a NACK gets the correct one. */
  | 'badChecksum'
  /** ACK, then nothing: the host must abort with an ACK. */
  | 'silenceAfterAck'
  /** Only the first half of the response; a NACK gets it whole. */
  | 'truncatedResponse'
  /** Neither ACK nor response. */
  | 'noAnswer';

interface PendingFault {
  fault: Pn532Fault;
  command: CommandName | undefined;
  remaining: number;
}

export interface Pn532EmulatorOptions {
  /** Writes bytes towards the host. */
  send(bytes: Uint8Array): void;
  /** Start asleep and unconfigured (default true). */
  strictPowerOn?: boolean;
  firmware?: { ic: number; version: number; revision: number; support: number };
  /** Delay before each response (the ACK is immediate), so a host that does not wait is caught. */
  responseDelayMs?: number;
}

export type EmulatorActivity =
  | { type: 'command'; name: CommandName | 'unknown'; code: number }
  | { type: 'nack' }
  | { type: 'abort' }
  | { type: 'wake' };

const commandNames = new Map<number, CommandName>(Object.entries(commandCodes).map(([name, code]) => [code, name as CommandName]));

export class Pn532Emulator {
  private readonly send: (bytes: Uint8Array) => void;
  private readonly strictPowerOn: boolean;
  private readonly firmware: { ic: number; version: number; revision: number; support: number };
  private readonly decoder = new Pn532FrameDecoder();
  private faults: PendingFault[] = [];
  private lastResponse: Uint8Array | undefined;
  private awaitingAbort = false;
  private delayedResponse: ReturnType<typeof setTimeout> | undefined;
  private readonly responseDelayMs: number;
  private awake = false;
  private samConfigured = false;
  private passiveRetries = 0xff;
  private tag: EmulatedTag | undefined;
  private readonly activityListeners = new Set<(activity: EmulatorActivity) => void>();
  /** How many times each command was received (faulted ones included). */
  readonly received: Record<CommandName | 'unknown' | 'nack' | 'abort', number> = {
    getFirmwareVersion: 0,
    samConfiguration: 0,
    rfConfiguration: 0,
    inListPassiveTarget: 0,
    inRelease: 0,
    unknown: 0,
    nack: 0,
    abort: 0,
  };
  /**
   * Commands sent while an earlier one was still unanswered and not aborted: a host breaking the
   * one-command-in-flight rule (a real PN532 drops the earlier command).
   */
  protocolViolations = 0;

  constructor(options: Pn532EmulatorOptions) {
    this.send = options.send;
    this.strictPowerOn = options.strictPowerOn ?? true;
    this.firmware = options.firmware ?? { ic: 0x32, version: 0x01, revision: 0x06, support: 0x07 };
    this.responseDelayMs = options.responseDelayMs ?? 0;
    this.powerCycle();
  }

  /** Back to the power-on state (asleep, unconfigured); the tag stays where it is. */
  powerCycle(): void {
    this.awake = !this.strictPowerOn;
    this.samConfigured = !this.strictPowerOn;
    this.passiveRetries = this.strictPowerOn ? 0xff : 0x01;
    this.lastResponse = undefined;
    this.awaitingAbort = false;
    clearTimeout(this.delayedResponse);
    this.delayedResponse = undefined;
    this.decoder.reset();
  }

  placeTag(tag: EmulatedTag): void {
    this.tag = tag;
  }

  removeTag(): void {
    this.tag = undefined;
  }

  /** The next `times` commands (of `command`, if given) suffer `fault`. */
  injectFault(fault: Pn532Fault, options: { command?: CommandName; times?: number } = {}): void {
    this.faults.push({ fault, command: options.command, remaining: options.times ?? 1 });
  }

  /** Faults not yet used. */
  get pendingFaults(): number {
    return this.faults.reduce((total, pending) => total + pending.remaining, 0);
  }

  onActivity(listener: (activity: EmulatorActivity) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  /** Bytes from the host. */
  receive(chunk: Uint8Array): void {
    let bytes = chunk;
    if (!this.awake) {
      const wake = bytes.indexOf(0x55);
      if (wake === -1) return;
      this.awake = true;
      this.notify({ type: 'wake' });
      bytes = bytes.subarray(wake + 1);
    }
    for (const frame of this.decoder.feed(bytes)) {
      if (frame.type === 'nack') {
        this.received.nack += 1;
        this.notify({ type: 'nack' });
        if (this.lastResponse) this.send(this.lastResponse);
      } else if (frame.type === 'ack') {
        this.received.abort += 1;
        this.awaitingAbort = false;
        clearTimeout(this.delayedResponse);
        this.delayedResponse = undefined;
        this.notify({ type: 'abort' });
      } else if (frame.type === 'information' && frame.tfi === hostToPn532 && frame.data.length > 0) {
        this.command(frame.data[0]!, frame.data.subarray(1));
      }
      // Corrupt frames and stray D5 frames are ignored, as the chip does.
    }
  }

  private notify(activity: EmulatorActivity): void {
    for (const listener of [...this.activityListeners]) listener(activity);
  }

  private takeFault(name: CommandName | 'unknown'): Pn532Fault | undefined {
    const index = this.faults.findIndex((pending) => pending.command === undefined || pending.command === name);
    if (index === -1) return undefined;
    const pending = this.faults[index]!;
    pending.remaining -= 1;
    if (pending.remaining <= 0) this.faults.splice(index, 1);
    return pending.fault;
  }

  private command(code: number, params: Uint8Array): void {
    const name = commandNames.get(code) ?? 'unknown';
    this.received[name] += 1;
    if (this.awaitingAbort || this.delayedResponse !== undefined) {
      this.protocolViolations += 1;
      clearTimeout(this.delayedResponse);
      this.delayedResponse = undefined;
      this.awaitingAbort = false;
    }
    this.notify({ type: 'command', name, code });
    const fault = this.takeFault(name);
    if (fault === 'noAnswer') return;

    const ack = ackFrame();
    if (fault === 'garbageBeforeAck') this.send(Uint8Array.of(0xaa, 0x13, 0x00, 0xff, 0x07, 0x42, ...ack));
    else if (fault !== 'dropAck') this.send(ack);

    const response = this.respond(name, params);
    this.lastResponse = response;
    if (!response || fault === 'silenceAfterAck') {
      this.awaitingAbort = true;
      return;
    }
    let bytes = response;
    if (fault === 'badChecksum') {
      bytes = response.slice();
      bytes[bytes.length - 2] = (bytes[bytes.length - 2]! + 1) & 0xff;
    } else if (fault === 'truncatedResponse') {
      bytes = response.subarray(0, Math.ceil(response.length / 2));
    }
    if (this.responseDelayMs === 0) {
      this.send(bytes);
      return;
    }
    this.delayedResponse = setTimeout(() => {
      this.delayedResponse = undefined;
      this.send(bytes);
    }, this.responseDelayMs);
  }

  /** The response frame, or undefined when the chip would stay silent. */
  private respond(name: CommandName | 'unknown', params: Uint8Array): Uint8Array | undefined {
    const reply = (code: number, ...data: number[]) => encodeInformationFrame(pn532ToHost, Uint8Array.of(code + 1, ...data));
    switch (name) {
      case 'getFirmwareVersion':
        return reply(commandCodes.getFirmwareVersion, this.firmware.ic, this.firmware.version, this.firmware.revision, this.firmware.support);
      case 'samConfiguration':
        if (params[0] !== 0x01) return errorFrame();
        this.samConfigured = true;
        return reply(commandCodes.samConfiguration);
      case 'rfConfiguration':
        if (params[0] === 0x05 && params.length === 4) this.passiveRetries = params[3]!;
        return reply(commandCodes.rfConfiguration);
      case 'inListPassiveTarget': {
        if (!this.samConfigured) return undefined;
        if (params.length < 2 || params[0] === 0 || params[0]! > 2 || params[1] !== 0x00) return errorFrame();
        const tag = this.tag;
        // With 0xFF retries the chip waits for a tag forever.
        if (!tag) return this.passiveRetries === 0xff ? undefined : reply(commandCodes.inListPassiveTarget, 0x00);
        return reply(
          commandCodes.inListPassiveTarget,
          0x01,
          0x01,
          tag.atqa >> 8,
          tag.atqa & 0xff,
          tag.sak,
          tag.uid.length,
          ...tag.uid,
          ...(tag.ats ?? []),
        );
      }
      case 'inRelease':
        return reply(commandCodes.inRelease, 0x00);
      case 'unknown':
        return errorFrame();
    }
  }

  /** True while a command was ACKed but never answered, until the host aborts it. */
  get waitingForAbort(): boolean {
    return this.awaitingAbort;
  }
}
