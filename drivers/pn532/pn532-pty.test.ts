/**
 * End to end through a real pseudo-terminal pair (socat, or python3's pty module) and the real
 * serialport binding on both ends: the driver on one end, the PN532 emulator on the other.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPtyPair, type PtyPair } from '../serial/pty-pair.ts';
import { EmulatedPn532Port } from './emulated-pn532-port.ts';
import { emulatedTags, type Pn532Emulator, type Pn532Fault } from './emulator.ts';
import { Pn532Reader } from './pn532-reader.ts';
import { ReaderEventLog } from './reader-event-log.ts';

let pair: PtyPair;
let device: EmulatedPn532Port;
let reader: Pn532Reader;
let log: ReaderEventLog;

beforeEach(async () => {
  pair = await createPtyPair();
  device = new EmulatedPn532Port(pair.devicePath);
  await device.attach();
  reader = new Pn532Reader({
    path: pair.hostPath,
    timing: { ackTimeoutMs: 200, responseTimeoutMs: 500, pollIntervalMs: 10, reconnectInitialMs: 50, reconnectMaxMs: 400 },
  });
  log = new ReaderEventLog();
  reader.onEvent(log.record);
  await reader.start();
  await log.waitFor('connected');
});

afterEach(async () => {
  await reader.stop();
  await device.detach();
  await pair.dispose();
});

const polls = (emulator: Pn532Emulator, count: number) => {
  const target = emulator.received.inListPassiveTarget + count;
  return vi.waitFor(() => expect(emulator.received.inListPassiveTarget).toBeGreaterThanOrEqual(target), { timeout: 10_000, interval: 10 });
};

describe('PN532 driver and emulator through a pseudo-terminal', () => {
  it('reports a tag presented, held, removed, then other tags of 4 and 10 bytes', async () => {
    const { emulator } = device;
    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    expect(await log.waitFor('tagPresented')).toMatchObject({ uid: '04A224B2C33F80', kind: 'ntag', atqa: '0044', sak: '00', randomUid: false });
    await polls(emulator, 10);
    expect(log.of('tagPresented')).toHaveLength(1);

    emulator.removeTag();
    await log.waitFor('tagRemoved');
    emulator.placeTag(emulatedTags.mifareClassic1k('A1B2C3D4'));
    expect(await log.waitFor('tagPresented', { where: (event) => event.uid === 'A1B2C3D4' })).toMatchObject({ kind: 'classic' });
    emulator.placeTag(emulatedTags.ntag213('04A1B2C3D4E5F6071829'));
    await log.waitFor('tagPresented', { where: (event) => event.uid === '04A1B2C3D4E5F6071829' });
    expect(log.summary).toEqual([
      'connected',
      'tagPresented 04A224B2C33F80',
      'tagRemoved 04A224B2C33F80',
      'tagPresented A1B2C3D4',
      'tagRemoved A1B2C3D4',
      'tagPresented 04A1B2C3D4E5F6071829',
    ]);
    expect(emulator.protocolViolations).toBe(0);
  });

  it('survives every injected fault without a restart, keeping the held tag', async () => {
    const { emulator } = device;
    emulator.placeTag(emulatedTags.desfireEv1('04352A7A6E2680'));
    await log.waitFor('tagPresented');
    const faults: Pn532Fault[] = ['garbageBeforeAck', 'dropAck', 'badChecksum', 'truncatedResponse', 'silenceAfterAck', 'noAnswer'];
    for (const fault of faults) {
      emulator.injectFault(fault, { command: 'inListPassiveTarget' });
      await vi.waitFor(() => expect(emulator.pendingFaults).toBe(0), { timeout: 10_000, interval: 10 });
      await polls(emulator, 2);
    }
    emulator.powerCycle();
    await polls(emulator, 3);
    expect(log.of('tagPresented')).toHaveLength(1);
    expect(log.of('disconnected')).toEqual([]);
    expect(log.of('error').map((error) => error.code)).toEqual(['RESPONSE_TIMEOUT', 'ACK_TIMEOUT', 'ACK_TIMEOUT']);
    expect(emulator.received.nack).toBeGreaterThanOrEqual(2);
    expect(emulator.received.abort).toBe(1);

    emulator.removeTag();
    await log.waitFor('tagRemoved');
  });

  it('reconnects when the device vanishes and comes back at the same path', async () => {
    device.emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    await log.waitFor('tagPresented');
    await pair.stop();
    await log.waitFor('disconnected');
    const from = log.events.length;
    await pair.start();
    await device.attach();
    await log.waitFor('connected', { from });
    await log.waitFor('tagPresented', { from });
    device.emulator.removeTag();
    await log.waitFor('tagRemoved', { from });
    expect(log.of('connected')).toHaveLength(2);
  });
});
