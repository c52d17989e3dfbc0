import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeCommand, getFirmwareVersion, hsuWakeUp, inListPassiveTarget106A, inRelease, rfConfigurationMaxRetries, samConfigurationNormal, type Pn532Command } from './commands.ts';
import { emulatedTags, Pn532Emulator, type Pn532EmulatorOptions } from './emulator.ts';
import { ackFrame, fromHex, nackFrame, Pn532FrameDecoder, toHex, type Pn532Frame } from './frame-codec.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** An emulator whose output is decoded back into frames. */
function chip(options: Omit<Pn532EmulatorOptions, 'send'> = {}) {
  const decoder = new Pn532FrameDecoder();
  const frames: Pn532Frame[] = [];
  const raw: string[] = [];
  const emulator = new Pn532Emulator({
    ...options,
    send: (bytes) => {
      raw.push(toHex(bytes));
      frames.push(...decoder.feed(bytes));
    },
  });
  const send = (command: Pn532Command, prefix?: Uint8Array) => {
    frames.length = 0;
    emulator.receive(prefix ? Uint8Array.of(...prefix, ...encodeCommand(command)) : encodeCommand(command));
    return [...frames, ...decoder.flush()];
  };
  return { emulator, send, frames, raw, decoder };
}

const response = (hex: string): Pn532Frame => ({ type: 'information', tfi: 0xd5, data: fromHex(hex), extended: false });
const ack: Pn532Frame = { type: 'ack' };

/** Wakes and configures it as the driver does. */
function configured(options: Omit<Pn532EmulatorOptions, 'send'> = {}) {
  const device = chip(options);
  device.send(samConfigurationNormal(), hsuWakeUp());
  device.send(rfConfigurationMaxRetries({ atrRes: 0xff, psl: 1, passiveActivation: 2 }));
  return device;
}

describe('Pn532Emulator power-on state', () => {
  it('ignores commands until woken by 0x55, then answers SAMConfiguration and the firmware version', () => {
    const { send, emulator } = chip();
    expect(send(getFirmwareVersion())).toEqual([]);
    expect(send(samConfigurationNormal(), hsuWakeUp())).toEqual([ack, response('15')]);
    expect(send(getFirmwareVersion())).toEqual([ack, response('03 32 01 06 07')]);
    // Asleep, the chip never saw the first one.
    expect(emulator.received.getFirmwareVersion).toBe(1);
  });

  it('does not answer a poll before SAMConfiguration, nor an empty poll with infinite retries', () => {
    const { send } = chip();
    expect(send(inListPassiveTarget106A(), hsuWakeUp())).toEqual([ack]);
    const device = chip();
    device.send(samConfigurationNormal(), hsuWakeUp());
    expect(device.send(inListPassiveTarget106A())).toEqual([ack]);
  });

  it('answers everything at once when not strict', () => {
    const { send } = chip({ strictPowerOn: false });
    expect(send(inListPassiveTarget106A())).toEqual([ack, response('4B 00')]);
  });
});

describe('Pn532Emulator answers', () => {
  it('lists the placed tag with ATQA, SAK, UID and ATS, releases it, and reports none once removed', () => {
    const { send, emulator } = configured();
    expect(send(inListPassiveTarget106A())).toEqual([ack, response('4B 00')]);
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    expect(send(inListPassiveTarget106A())).toEqual([ack, response('4B 01 01 00 44 00 07 04 A2 24 B2 C3 3F 80')]);
    expect(send(inRelease(1))).toEqual([ack, response('53 00')]);
    emulator.placeTag(emulatedTags.desfireEv1('04352A7A6E2680'));
    expect(send(inListPassiveTarget106A())).toEqual([ack, response('4B 01 01 03 44 20 07 04 35 2A 7A 6E 26 80 06 75 77 81 02 80')]);
    emulator.placeTag(emulatedTags.mifareClassic1k('A1B2C3D4'));
    expect(send(inListPassiveTarget106A())).toEqual([ack, response('4B 01 01 00 04 08 04 A1 B2 C3 D4')]);
    emulator.removeTag();
    expect(send(inListPassiveTarget106A())).toEqual([ack, response('4B 00')]);
  });

  it('answers an unknown command and a bad baud rate with the error frame', () => {
    const { send } = configured();
    expect(send({ name: 'inRelease', code: 0x60, params: new Uint8Array(0) })).toEqual([ack, { type: 'error' }]);
    expect(send({ ...inListPassiveTarget106A(), params: fromHex('01 03') })).toEqual([ack, { type: 'error' }]);
  });

  it('refuses tags with a UID that is not 4, 7 or 10 bytes', () => {
    expect(() => emulatedTags.ntag213('04A224B2C3')).toThrow('4, 7 or 10 bytes');
  });
});

describe('Pn532Emulator faults', () => {
  it('sends garbage before the ACK, or no ACK at all', () => {
    const { send, emulator, raw } = configured();
    emulator.injectFault('garbageBeforeAck');
    expect(send(getFirmwareVersion()).filter((frame) => frame.type !== 'corrupt')).toEqual([ack, response('03 32 01 06 07')]);
    expect(raw.at(-2)!.startsWith('AA13')).toBe(true);
    emulator.injectFault('dropAck');
    expect(send(getFirmwareVersion())).toEqual([response('03 32 01 06 07')]);
  });

  it('corrupts or truncates a response and sends it whole on NACK', () => {
    const { send, emulator, frames } = configured();
    emulator.injectFault('badChecksum');
    expect(send(getFirmwareVersion())).toEqual([ack, { type: 'corrupt', reason: 'data-checksum' }]);
    frames.length = 0;
    emulator.receive(nackFrame());
    expect(frames).toEqual([response('03 32 01 06 07')]);
    expect(emulator.received.nack).toBe(1);

    emulator.injectFault('truncatedResponse');
    expect(send(getFirmwareVersion())).toEqual([ack, { type: 'corrupt', reason: 'truncated' }]);
    frames.length = 0;
    emulator.receive(nackFrame());
    expect(frames).toEqual([response('03 32 01 06 07')]);
  });

  it('stays silent after the ACK until the host aborts, or does not answer at all', () => {
    const { send, emulator } = configured();
    emulator.injectFault('silenceAfterAck');
    expect(send(getFirmwareVersion())).toEqual([ack]);
    expect(emulator.waitingForAbort).toBe(true);
    emulator.receive(ackFrame());
    expect(emulator.waitingForAbort).toBe(false);
    expect(emulator.received.abort).toBe(1);
    emulator.injectFault('noAnswer');
    expect(send(getFirmwareVersion())).toEqual([]);
    expect(send(getFirmwareVersion())).toEqual([ack, response('03 32 01 06 07')]);
  });

  it('applies a fault only to the named command, as many times as asked', () => {
    const { send, emulator } = configured();
    emulator.injectFault('noAnswer', { command: 'inListPassiveTarget', times: 2 });
    expect(send(getFirmwareVersion())).toEqual([ack, response('03 32 01 06 07')]);
    expect(emulator.pendingFaults).toBe(2);
    expect(send(inListPassiveTarget106A())).toEqual([]);
    expect(send(inListPassiveTarget106A())).toEqual([]);
    expect(send(inListPassiveTarget106A())).toEqual([ack, response('4B 00')]);
    expect(emulator.pendingFaults).toBe(0);
  });

  it('counts a command sent while the previous one is unanswered as a protocol violation', () => {
    vi.useFakeTimers();
    const { send, emulator, frames } = chip({ strictPowerOn: false, responseDelayMs: 20 });
    expect(send(getFirmwareVersion())).toEqual([ack]);
    vi.advanceTimersByTime(20);
    expect(frames).toEqual([ack, response('03 32 01 06 07')]);
    expect(emulator.protocolViolations).toBe(0);
    send(getFirmwareVersion());
    send(getFirmwareVersion());
    expect(emulator.protocolViolations).toBe(1);
  });
});
