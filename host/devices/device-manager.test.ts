import { describe, expect, it } from 'vitest';
import { expectOk } from '../../test/fixtures/commands.ts';
import { createCoreWithDevices, settleTimers } from '../../test/fixtures/devices.ts';
import type { CoreEvent } from '../../core/api/pubsub.ts';

const statesOf = (events: CoreEvent[], readerId: string) =>
  events.flatMap((event) => (event.type === 'reader.status' && event.status.readerId === readerId ? [event.status.state] : []));

describe('device manager', () => {
  it('starts configured readers, follows unplug → disconnected → reconnect, and forwards every event', async () => {
    const { core, devices, events, latest } = createCoreWithDevices();
    const desk = expectOk(await core.invoke('readers.add', { name: 'Desk', driver: 'serial-barcode', path: '/dev/ttyACM0' }));
    expect(latest(desk.id)).toBeUndefined();
    await devices.startReaders();
    const reader = latest(desk.id)!;
    expect(devices.status(desk.id)).toMatchObject({ state: 'connected', reason: null });

    reader.emit({ type: 'disconnected', reason: '/dev/ttyACM0 closed' });
    expect(devices.status(desk.id)).toMatchObject({ state: 'disconnected', reason: '/dev/ttyACM0 closed' });
    reader.emit({ type: 'error', code: 'OPEN_FAILED', message: 'Cannot open /dev/ttyACM0: No such file or directory', retryable: true });
    expect(devices.status(desk.id)).toMatchObject({ state: 'disconnected', reason: 'Cannot open /dev/ttyACM0: No such file or directory' });
    reader.emit({ type: 'connected' });
    reader.emit({ type: 'barcodeScanned', text: 'BO-1', symbology: 'qr', source: 'serial' });

    expect(statesOf(events, desk.id)).toEqual(['connecting', 'connected', 'disconnected', 'disconnected', 'connected']);
    expect(events.filter((event) => event.type === 'reader').map((event) => event.type === 'reader' && event.event.type)).toEqual([
      'connected',
      'disconnected',
      'error',
      'connected',
      'barcodeScanned',
    ]);
    expect(devices.lastEvent(desk.id)?.event).toMatchObject({ type: 'barcodeScanned', text: 'BO-1' });
    expect(expectOk(await core.invoke('readers.list', {})).readers[0]?.status.state).toBe('connected');
    await devices.stopReaders();
    expect(reader.stops).toBe(1);
    expect(devices.status(desk.id).state).toBe('stopped');
  });

  it('restarts a reader that gave up, with backoff, and one whose start failed', async () => {
    const { core, devices, fakes, latest } = createCoreWithDevices();
    await devices.startReaders();
    const desk = expectOk(await core.invoke('readers.add', { name: 'Desk', driver: 'pn532', path: '/dev/ttyUSB0' }));
    await settleTimers();
    latest(desk.id)!.emit({ type: 'error', code: 'NO_ANSWER', message: 'PN532 stopped answering', retryable: false });
    expect(devices.status(desk.id)).toMatchObject({ state: 'error', reason: 'PN532 stopped answering' });
    await settleTimers(30);
    expect(fakes.get(desk.id)).toHaveLength(2);
    expect(fakes.get(desk.id)![0]!.stops).toBe(1);
    expect(devices.status(desk.id).state).toBe('connected');

    const other = expectOk(await core.invoke('readers.add', { name: 'Gate', driver: 'pn532', path: '/dev/ttyUSB1' }));
    await settleTimers();
    latest(other.id)!.emit({ type: 'error', code: 'NO_ANSWER', message: 'gone', retryable: false });
    await settleTimers(30);
    expect(devices.status(other.id).state).toBe('connected');
    await devices.stopReaders();
  });

  it('a missing native library makes only that reader unavailable, and it is not retried', async () => {
    const { core, devices, fakes, latest } = createCoreWithDevices();
    await devices.startReaders();
    const hid = expectOk(await core.invoke('readers.add', { name: 'HID', driver: 'hid-pos', path: '/dev/hidraw3' }));
    const serial = expectOk(await core.invoke('readers.add', { name: 'Serial', driver: 'serial-barcode', path: '/dev/ttyACM0' }));
    await settleTimers();
    const message = 'HID barcode scanners are unavailable: node-hid could not load (missing libudev.so.1). Install libudev1';
    latest(hid.id)!.emit({ type: 'error', code: 'DRIVER_UNAVAILABLE', message, retryable: false });
    await settleTimers(40);
    expect(devices.status(hid.id)).toMatchObject({ state: 'unavailable', reason: message });
    expect(fakes.get(hid.id)).toHaveLength(1);
    expect(devices.status(serial.id).state).toBe('connected');
    const { drivers } = expectOk(await core.invoke('readers.list', {}));
    expect(drivers).toContainEqual({ driver: 'hid-pos', available: false, message });
    expect(drivers).toContainEqual({ driver: 'serial-barcode', available: true, message: null });
    await devices.stopReaders();
  });

  it('stops a removed reader and forgets its status', async () => {
    const { core, devices, latest } = createCoreWithDevices();
    await devices.startReaders();
    const desk = expectOk(await core.invoke('readers.add', { name: 'Desk', driver: 'serial-barcode', path: 'COM3' }));
    await settleTimers();
    const reader = latest(desk.id)!;
    expectOk(await core.invoke('readers.remove', { readerId: desk.id }));
    await settleTimers();
    expect(reader.stops).toBe(1);
    expect(devices.status(desk.id).state).toBe('stopped');
    reader.emit({ type: 'barcodeScanned', text: 'late', symbology: 'unknown', source: 'serial' });
    expect(devices.lastEvent(desk.id)).toBeNull();
  });

  it('does not start readers in a process that only configures them (the CLI)', async () => {
    const { core, devices, latest } = createCoreWithDevices();
    const desk = expectOk(await core.invoke('readers.add', { name: 'Desk', driver: 'serial-barcode', path: 'COM3' }));
    await settleTimers();
    expect(latest(desk.id)).toBeUndefined();
    expect(devices.running).toBe(false);
    expect(devices.status(desk.id)).toMatchObject({ state: 'stopped' });
  });
});
