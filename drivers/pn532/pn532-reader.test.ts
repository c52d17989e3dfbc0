import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSerialTransport } from '../serial/serial-transport.ts';
import { EmulatedSerialLine } from './emulated-serial-line.ts';
import { emulatedTags, type Pn532EmulatorOptions, type Pn532Fault } from './emulator.ts';
import { Pn532Reader, type Pn532Timing } from './pn532-reader.ts';
import { ReaderEventLog } from './reader-event-log.ts';

// Short but not tight: a loaded CI machine must not turn a slow answer into a failure.
const fastTiming: Partial<Pn532Timing> = {
  ackTimeoutMs: 100,
  responseTimeoutMs: 250,
  pollIntervalMs: 5,
  reconnectInitialMs: 10,
  reconnectMaxMs: 80,
};

const stoppers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0)) await stop();
});

async function startReader(options: { emulator?: Omit<Pn532EmulatorOptions, 'send'>; timing?: Partial<Pn532Timing> } = {}) {
  const line = new EmulatedSerialLine({ responseDelayMs: 1, ...options.emulator });
  const reader = new Pn532Reader({ path: '/dev/ttyUSB7', openTransport: line.open, timing: { ...fastTiming, ...options.timing } });
  const log = new ReaderEventLog();
  reader.onEvent(log.record);
  await reader.start();
  stoppers.push(() => reader.stop());
  await log.waitFor('connected');
  return { line, emulator: line.emulator, reader, log };
}

/** Waits until the reader has polled `count` more times. */
const polls = (emulator: EmulatedSerialLine['emulator'], count: number) => {
  const target = emulator.received.inListPassiveTarget + count;
  return vi.waitFor(() => expect(emulator.received.inListPassiveTarget).toBeGreaterThanOrEqual(target), { timeout: 10_000, interval: 5 });
};

describe('Pn532Reader configuration and polling', () => {
  it('wakes the chip, configures SAM and finite retries, then polls one command at a time', async () => {
    const { reader, emulator, log } = await startReader();
    expect(log.events[0]).toEqual({ type: 'connected', readerId: 'pn532:/dev/ttyUSB7' });
    expect(reader.firmware).toEqual({ ic: 0x32, version: 1, revision: 6, support: 7 });
    expect(emulator.received.samConfiguration).toBe(1);
    expect(emulator.received.rfConfiguration).toBe(1);
    await polls(emulator, 20);
    expect(reader.state).toBe('polling');
    expect(emulator.protocolViolations).toBe(0);
    expect(log.of('error')).toEqual([]);
  });

  it('reports a tag once while it is held, then its removal, then a second tag', async () => {
    const { emulator, log } = await startReader();
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    const presented = await log.waitFor('tagPresented');
    expect(presented).toEqual({
      type: 'tagPresented',
      readerId: 'pn532:/dev/ttyUSB7',
      uid: '04A224B2C33F80',
      atqa: '0044',
      sak: '00',
      kind: 'ntag',
      randomUid: false,
    });
    await polls(emulator, 10);
    expect(log.of('tagPresented')).toHaveLength(1);
    expect(emulator.received.inRelease).toBeGreaterThanOrEqual(10);

    emulator.removeTag();
    expect(await log.waitFor('tagRemoved')).toEqual({ type: 'tagRemoved', readerId: 'pn532:/dev/ttyUSB7', uid: '04A224B2C33F80' });

    emulator.placeTag(emulatedTags.mifareClassic1k('A1B2C3D4'));
    await log.waitFor('tagPresented', { where: (event) => event.uid === 'A1B2C3D4' });
    expect(log.summary).toEqual(['connected', 'tagPresented 04A224B2C33F80', 'tagRemoved 04A224B2C33F80', 'tagPresented A1B2C3D4']);
    expect(emulator.protocolViolations).toBe(0);
  });

  it('waits for the configured number of empty polls before reporting a removal', async () => {
    const { emulator, log } = await startReader({ timing: { removalPolls: 4 } });
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    emulator.removeTag();
    const before = emulator.received.inListPassiveTarget;
    await log.waitFor('tagRemoved');
    expect(emulator.received.inListPassiveTarget - before).toBeGreaterThanOrEqual(4);
  });

  it('reports a tag swapped for another without an empty poll as removed then presented', async () => {
    const { emulator, log } = await startReader();
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    emulator.placeTag(emulatedTags.ntag213('04112233445566'));
    await log.waitFor('tagPresented', { where: (event) => event.uid === '04112233445566' });
    expect(log.summary.slice(1)).toEqual(['tagPresented 04A224B2C33F80', 'tagRemoved 04A224B2C33F80', 'tagPresented 04112233445566']);
  });

  it.each([
    ['a 4-byte MIFARE Classic 1K', emulatedTags.mifareClassic1k('A1B2C3D4'), { uid: 'A1B2C3D4', atqa: '0004', sak: '08', kind: 'classic', randomUid: false }],
    ['a 7-byte NTAG213', emulatedTags.ntag213('04A224B2C33F80'), { uid: '04A224B2C33F80', atqa: '0044', sak: '00', kind: 'ntag', randomUid: false }],
    ['a 7-byte DESFire EV1 (with ATS)', emulatedTags.desfireEv1('04352A7A6E2680'), { uid: '04352A7A6E2680', atqa: '0344', sak: '20', kind: 'desfire', randomUid: false }],
    ['a 10-byte NTAG-family tag', emulatedTags.ntag213('04A1B2C3D4E5F6071829'), { uid: '04A1B2C3D4E5F6071829', atqa: '0084', sak: '00', kind: 'ntag', randomUid: false }],
    ['a random 4-byte UID (a phone)', emulatedTags.desfireEv1('08A1B2C3'), { uid: '08A1B2C3', atqa: '0304', sak: '20', kind: 'desfire', randomUid: true }],
  ])('reports %s', async (_, tag, expected) => {
    const { emulator, log } = await startReader();
    emulator.placeTag(tag);
    expect(await log.waitFor('tagPresented')).toMatchObject(expected);
  });
});

describe('Pn532Reader survives faults', () => {
  const tolerated: Array<[Pn532Fault, string]> = [
    ['garbageBeforeAck', 'garbage before the ACK is skipped'],
    ['dropAck', 'a response without an ACK is accepted'],
    ['badChecksum', 'a corrupt response is asked for again with a NACK'],
    ['truncatedResponse', 'a truncated response is asked for again with a NACK'],
  ];

  it.each(tolerated)('%s: %s, without an error or a second tagPresented', async (fault) => {
    const { emulator, log } = await startReader();
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    emulator.injectFault(fault, { command: 'inListPassiveTarget', times: 3 });
    await vi.waitFor(() => expect(emulator.pendingFaults).toBe(0), { timeout: 10_000, interval: 5 });
    await polls(emulator, 3);
    expect(log.of('error')).toEqual([]);
    expect(log.of('tagPresented')).toHaveLength(1);
    expect(log.of('tagRemoved')).toEqual([]);
    if (fault === 'badChecksum' || fault === 'truncatedResponse') expect(emulator.received.nack).toBeGreaterThanOrEqual(3);
    expect(emulator.protocolViolations).toBe(0);
  });

  it('aborts a command answered only by an ACK, reconfigures and keeps the held tag', async () => {
    const { emulator, log } = await startReader();
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    const configurations = emulator.received.samConfiguration;
    emulator.injectFault('silenceAfterAck', { command: 'inListPassiveTarget' });
    const error = await log.waitFor('error');
    expect(error).toMatchObject({ code: 'RESPONSE_TIMEOUT', retryable: true });
    expect(error.message).toContain('reconfiguring');
    await vi.waitFor(() => expect(emulator.received.abort).toBe(1), { timeout: 10_000, interval: 5 });
    await vi.waitFor(() => expect(emulator.received.samConfiguration).toBe(configurations + 1), { timeout: 10_000, interval: 5 });
    await polls(emulator, 3);
    expect(log.of('tagPresented')).toHaveLength(1);
    expect(log.of('disconnected')).toEqual([]);
    expect(emulator.protocolViolations).toBe(0);
  });

  it('gives up on a poll that gets no answer at all, reconfigures and goes on polling', async () => {
    const { emulator, log } = await startReader();
    emulator.injectFault('noAnswer', { command: 'inListPassiveTarget' });
    expect(await log.waitFor('error')).toMatchObject({ code: 'ACK_TIMEOUT', retryable: true });
    await polls(emulator, 3);
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    expect(log.of('disconnected')).toEqual([]);
  });

  it('wakes and reconfigures a chip that lost power (strict power-on state)', async () => {
    const { emulator, log } = await startReader();
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    const configurations = emulator.received.samConfiguration;
    emulator.powerCycle();
    // Asleep, the chip ignores the next poll; the driver wakes it and configures it again.
    await vi.waitFor(() => expect(emulator.received.samConfiguration).toBe(configurations + 1), { timeout: 10_000, interval: 5 });
    await polls(emulator, 3);
    expect(log.of('tagPresented')).toHaveLength(1);
    expect(log.of('error').map((error) => error.code)).toEqual(['ACK_TIMEOUT']);
  });

  it('closes and reopens the port with backoff when configuration keeps failing', async () => {
    const { line, emulator, log } = await startReader();
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    // A failed poll, then two failed configurations: the port is reopened.
    emulator.injectFault('noAnswer', { times: 3 });
    const disconnected = await log.waitFor('disconnected');
    expect(disconnected.reason).toContain('stopped answering');
    const connectedAgain = await log.waitFor('connected', { from: log.events.indexOf(disconnected) });
    expect(connectedAgain.type).toBe('connected');
    expect(line.opens).toBe(2);
    await log.waitFor('tagPresented', { from: log.events.indexOf(disconnected) });
    expect(log.summary).toEqual([
      'connected',
      'tagPresented 04A224B2C33F80',
      'error',
      'error',
      'error',
      'tagRemoved 04A224B2C33F80',
      'disconnected',
      'connected',
      'tagPresented 04A224B2C33F80',
    ]);
  });

  it('also reopens the port when configuration works but every poll fails', async () => {
    const { line, emulator, log } = await startReader();
    emulator.injectFault('noAnswer', { command: 'inListPassiveTarget', times: 3 });
    const disconnected = await log.waitFor('disconnected');
    expect(log.of('error').map((error) => error.code)).toEqual(['ACK_TIMEOUT', 'ACK_TIMEOUT', 'ACK_TIMEOUT']);
    await log.waitFor('connected', { from: log.events.indexOf(disconnected) });
    expect(line.opens).toBe(2);
  });

  it('reconnects with backoff after an unplug, reporting the outage once', async () => {
    const { line, emulator, log } = await startReader();
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    line.unplug();
    expect(await log.waitFor('disconnected')).toMatchObject({ reason: 'device disconnected' });
    const openFailed = await log.waitFor('error');
    expect(openFailed).toMatchObject({ code: 'OPEN_FAILED', retryable: true });
    const failedAt = log.events.length;
    // Several reopen attempts fail while it is unplugged; only the first one is reported.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(log.events.length).toBe(failedAt);
    line.replug();
    await log.waitFor('connected', { from: failedAt });
    await log.waitFor('tagPresented', { from: failedAt });
    expect(log.summary).toEqual(['connected', 'tagPresented 04A224B2C33F80', 'tagRemoved 04A224B2C33F80', 'disconnected', 'error', 'connected', 'tagPresented 04A224B2C33F80']);
  });
});

describe('Pn532Reader lifecycle', () => {
  it('reports a serialport binding that cannot load once, as not retryable, and stops trying', async () => {
    let attempts = 0;
    const reader = new Pn532Reader({
      path: '/dev/ttyUSB0',
      timing: fastTiming,
      openTransport: (options) => {
        attempts += 1;
        return openSerialTransport(options, () => Promise.reject(new Error('libudev.so.1: cannot open shared object file')));
      },
    });
    const log = new ReaderEventLog();
    reader.onEvent(log.record);
    await reader.start();
    const error = await log.waitFor('error');
    expect(error).toMatchObject({ code: 'DRIVER_UNAVAILABLE', retryable: false });
    expect(error.message).toContain('serialport');
    expect(error.message).toContain('libudev.so.1');
    await vi.waitFor(() => expect(reader.state).toBe('unavailable'), { timeout: 10_000, interval: 5 });
    expect(attempts).toBe(1);
    expect(log.events).toHaveLength(1);
    await reader.stop();
    expect(reader.state).toBe('stopped');
  });

  it('stops: reports the disconnection, closes the port, and is silent afterwards', async () => {
    const { line, emulator, reader, log } = await startReader();
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    await reader.stop();
    expect(log.summary.slice(-2)).toEqual(['tagRemoved 04A224B2C33F80', 'disconnected']);
    expect(line.isOpen).toBe(false);
    const count = log.events.length;
    const polled = emulator.received.inListPassiveTarget;
    emulator.removeTag();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.events.length).toBe(count);
    expect(emulator.received.inListPassiveTarget).toBe(polled);
    expect(reader.state).toBe('stopped');
  });

  it('can be started again after a stop, and a second start while running does nothing', async () => {
    const { line, reader, log } = await startReader();
    await reader.start();
    await reader.stop();
    const from = log.events.length;
    await reader.start();
    await log.waitFor('connected', { from });
    expect(line.opens).toBe(2);
  });

  it('keeps running when a listener throws', async () => {
    const { emulator, reader, log } = await startReader();
    reader.onEvent(() => {
      throw new Error('a bug in a listener');
    });
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    emulator.removeTag();
    await log.waitFor('tagRemoved');
  });
});
