import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ReaderEvent } from '../../drivers/reader.ts';
import { auditRows, expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';
import { createCoreWithDevices, settleTimers } from '../../test/fixtures/devices.ts';
import { createTestCore, snapshot } from '../../test/fixtures/store.ts';
import type { readerEventSchema } from '../readers/readers.contract.ts';

describe('reader configuration (readers.add, readers.remove, readers.list)', () => {
  it('the contract schema of reader events is the drivers’ ReaderEvent type', () => {
    expectTypeOf<z.infer<typeof readerEventSchema>>().toEqualTypeOf<ReaderEvent>();
  });

  it('adds a serial scanner with defaults filled, audited but local (never in the outbox), and lists it', async () => {
    const { core, store } = createTestCore();
    const added = expectOk(await core.invoke('readers.add', { name: 'Gate scanner', driver: 'serial-barcode', path: '/dev/ttyACM0' }));
    expect(added).toMatchObject({
      name: 'Gate scanner',
      driver: 'serial-barcode',
      path: '/dev/ttyACM0',
      usbId: null,
      options: { baudRate: 9600, suffix: 'auto', interByteTimeoutMs: 50, aimPrefix: false },
      status: { state: 'stopped' },
      lastEvent: null,
    });
    expect(auditRows(store)).toMatchObject([{ operation: 'readers.add@1', entity: 'reader', entity_id: added.id, before: null }]);
    expect(outboxRows(store)).toEqual([]);
    const list = expectOk(await core.invoke('readers.list', {}));
    expect(list.running).toBe(false);
    expect(list.readers.map((reader) => reader.id)).toEqual([added.id]);
  });

  it('stores a HID scanner by USB id with its enabling feature report normalised', async () => {
    const { core } = createTestCore();
    const added = expectOk(
      await core.invoke('readers.add', { name: 'Desk', driver: 'hid-pos', usbId: '0C2E:0B87', options: { enableFeatureReport: 'fe 01' } }),
    );
    expect(added).toMatchObject({ path: null, usbId: '0c2e:0b87', options: { reportId: 2, enableFeatureReport: 'FE01' } });
  });

  it('refuses bad input and a duplicate name, changing nothing', async () => {
    const { core, store } = createTestCore();
    expectOk(await core.invoke('readers.add', { name: 'Desk', driver: 'simulated' }));
    const before = snapshot(store);
    expectError(await core.invoke('readers.add', { name: 'desk', driver: 'simulated' }), 'CONFLICT', 'name');
    expectError(await core.invoke('readers.add', { name: 'X', driver: 'serial-barcode' }), 'VALIDATION', 'path');
    expectError(await core.invoke('readers.add', { name: 'X', driver: 'hid-pos', usbId: '0c2e' }), 'VALIDATION', 'usbId');
    expectError(await core.invoke('readers.add', { name: 'X', driver: 'hid-pos', path: '/dev/hidraw0', options: { enableFeatureReport: 'zz' } }), 'VALIDATION', 'options.enableFeatureReport');
    expectError(await core.invoke('readers.add', { name: 'X', driver: 'serial-barcode', path: 'COM3', options: { baudRate: 1234 } }), 'VALIDATION', 'options.baudRate');
    expectError(await core.invoke('readers.add', { name: '  ', driver: 'simulated' }), 'VALIDATION', 'name');
    expectError(await core.invoke('readers.add', { name: 'X', driver: 'floppy' } as never), 'VALIDATION', 'driver');
    expect(snapshot(store)).toEqual(before);
  });

  it('removes a reader (audited with its configuration) and refuses an unknown id, changing nothing', async () => {
    const { core, store } = createTestCore();
    const added = expectOk(await core.invoke('readers.add', { name: 'Desk', driver: 'pn532', path: '/dev/ttyUSB0' }));
    expect(expectOk(await core.invoke('readers.remove', { readerId: added.id }))).toEqual({ readerId: added.id });
    expect(auditRows(store).at(-1)).toMatchObject({ operation: 'readers.remove@1', entity_id: added.id, before: { name: 'Desk', driver: 'pn532', path: '/dev/ttyUSB0' } });
    const before = snapshot(store);
    expectError(await core.invoke('readers.remove', { readerId: added.id }), 'NOT_FOUND', 'readerId');
    expectError(await core.invoke('readers.remove', { readerId: '' }), 'VALIDATION', 'readerId');
    expect(snapshot(store)).toEqual(before);
  });

  it('without a device manager, discovery and simulation are unavailable', async () => {
    const { core } = createTestCore();
    const sim = expectOk(await core.invoke('readers.add', { name: 'Sim', driver: 'simulated' }));
    expectError(await core.invoke('readers.candidates', {}), 'UNAVAILABLE');
    expectError(await core.invoke('readers.simulate', { readerId: sim.id, action: { type: 'removeTag' } }), 'UNAVAILABLE');
  });
});

describe('readers with a running device manager', () => {
  it('starts an added simulated reader at once, and a presented tag reaches subscribers', async () => {
    const { core, devices, events } = createCoreWithDevices();
    await devices.startReaders();
    const sim = expectOk(await core.invoke('readers.add', { name: 'Sim', driver: 'simulated' }));
    await settleTimers();
    const presented = expectOk(await core.invoke('readers.simulate', { readerId: sim.id, action: { type: 'presentTag', uid: '04:a2:24:b2:c3:3f:80' } }));
    expect(presented.events).toEqual([
      { type: 'tagPresented', readerId: sim.id, uid: '04A224B2C33F80', atqa: '0044', sak: '00', kind: 'ntag', randomUid: false },
    ]);
    expect(events).toContainEqual({ type: 'reader', event: presented.events[0] });
    expect(events).toContainEqual({ type: 'reader.status', status: expect.objectContaining({ readerId: sim.id, state: 'connected' }) });
    const [view] = expectOk(await core.invoke('readers.list', {})).readers;
    expect(view).toMatchObject({ status: { state: 'connected' }, lastEvent: { type: 'tagPresented', uid: '04A224B2C33F80' } });
    expect(view?.lastEventAt).toMatch(/^2026-/);
    await devices.stopReaders();
  });

  it('refuses to simulate on a real reader, an unknown reader or with a bad UID', async () => {
    const { core, devices } = createCoreWithDevices();
    await devices.startReaders();
    const real = expectOk(await core.invoke('readers.add', { name: 'Desk', driver: 'pn532', path: '/dev/ttyUSB0' }));
    const sim = expectOk(await core.invoke('readers.add', { name: 'Sim', driver: 'simulated' }));
    await settleTimers();
    expectError(await core.invoke('readers.simulate', { readerId: real.id, action: { type: 'removeTag' } }), 'VALIDATION', 'readerId');
    expectError(await core.invoke('readers.simulate', { readerId: 'nope', action: { type: 'removeTag' } }), 'NOT_FOUND', 'readerId');
    expectError(await core.invoke('readers.simulate', { readerId: sim.id, action: { type: 'presentTag', uid: '04A2' } }), 'VALIDATION', 'action.uid');
    expectError(await core.invoke('readers.simulate', { readerId: sim.id, action: { type: 'scanBarcode', text: '  ' } }), 'VALIDATION', 'action.text');
    await devices.stopReaders();
  });

  it('lists candidates, naming the reader already using each device', async () => {
    const { core } = createCoreWithDevices({
      discovery: {
        candidates: [
          { kind: 'serial', path: '/dev/ttyUSB0', usbId: '1a86:7523', manufacturer: 'QinHeng', product: null, serialNumber: null, usagePage: null, suggestedDriver: 'pn532' },
          { kind: 'hid', path: '/dev/hidraw3', usbId: '0c2e:0b87', manufacturer: 'Honeywell', product: 'Voyager', serialNumber: null, usagePage: 0x8c, suggestedDriver: 'hid-pos' },
        ],
        unavailable: [],
      },
    });
    expectOk(await core.invoke('readers.add', { name: 'Desk scanner', driver: 'hid-pos', usbId: '0c2e:0b87' }));
    const { candidates } = expectOk(await core.invoke('readers.candidates', {}));
    expect(candidates.map((candidate) => [candidate.path, candidate.configuredAs])).toEqual([
      ['/dev/ttyUSB0', null],
      ['/dev/hidraw3', 'Desk scanner'],
    ]);
  });

  it('reports drivers that cannot load here', async () => {
    const { core } = createCoreWithDevices({ unavailable: { 'hid-pos': 'HID barcode scanners are unavailable: install libudev1' } });
    const { drivers } = expectOk(await core.invoke('readers.list', {}));
    expect(drivers).toContainEqual({ driver: 'hid-pos', available: false, message: 'HID barcode scanners are unavailable: install libudev1' });
    expect(drivers).toContainEqual({ driver: 'simulated', available: true, message: null });
  });
});
