import { describe, expect, it } from 'vitest';
import { HidDriverUnavailableError } from '../../drivers/barcode/hid-library.ts';
import { SerialDriverUnavailableError } from '../../drivers/serial/serial-transport.ts';
import { createFakeHid } from '../../drivers/barcode/testing/fake-transports.ts';
import { discoverCandidates } from './discovery.ts';
import { probeReaderDrivers } from './driver-probe.ts';
import { findSerialPathByUsbId } from './serial-ports.ts';

const ports = [
  { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', manufacturer: '1a86' },
  { path: '/dev/ttyACM0', vendorId: '0C2E', productId: '0b87', manufacturer: 'Honeywell', serialNumber: 'X1' },
  { path: '/dev/ttyS0' },
];
const missingLibudev = () => {
  throw new HidDriverUnavailableError(Object.assign(new Error('libudev.so.1: cannot open shared object file'), { code: 'ERR_DLOPEN_FAILED' }), 'linux');
};

describe('reader discovery', () => {
  it('lists serial ports with VID:PID and HID barcode interfaces, suggesting a driver', async () => {
    const hid = createFakeHid([
      { vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw3', usagePage: 0x8c, product: 'Voyager 1470g', manufacturer: 'Honeywell' },
      { vendorId: 0x046d, productId: 0xc52b, path: '/dev/hidraw0', usagePage: 0x01 },
    ]);
    const found = await discoverCandidates({ listSerialPorts: async () => ports, loadHid: async () => hid.library });
    expect(found.unavailable).toEqual([]);
    expect(found.candidates.map((candidate) => [candidate.kind, candidate.path, candidate.usbId, candidate.suggestedDriver])).toEqual([
      ['serial', '/dev/ttyUSB0', '1a86:7523', 'pn532'],
      ['serial', '/dev/ttyACM0', '0c2e:0b87', 'serial-barcode'],
      ['serial', '/dev/ttyS0', null, null],
      ['hid', '/dev/hidraw3', '0c2e:0b87', 'hid-pos'],
    ]);
  });

  it('a missing HID library leaves the serial ports listed and says what to install', async () => {
    const found = await discoverCandidates({ listSerialPorts: async () => ports, loadHid: async () => missingLibudev() });
    expect(found.candidates).toHaveLength(3);
    expect(found.unavailable).toEqual([{ kind: 'hid', message: expect.stringContaining('sudo apt install libudev1') }]);
  });

  it('a missing serial binding leaves HID listed', async () => {
    const hid = createFakeHid([{ vendorId: 0x05e0, productId: 0x1200, path: '/dev/hidraw5', usagePage: 0x8c }]);
    const found = await discoverCandidates({
      listSerialPorts: async () => {
        throw new SerialDriverUnavailableError(new Error('bindings.node: invalid ELF header'));
      },
      loadHid: async () => hid.library,
    });
    expect(found.candidates.map((candidate) => candidate.path)).toEqual(['/dev/hidraw5']);
    expect(found.unavailable).toEqual([{ kind: 'serial', message: expect.stringContaining('Serial readers are unavailable') }]);
  });

  it('probes which drivers can load: only the one missing its library is disabled', async () => {
    const problems = await probeReaderDrivers({ listSerialPorts: async () => [], loadHid: async () => missingLibudev() });
    expect(problems).toEqual({ pn532: null, 'serial-barcode': null, simulated: null, 'hid-pos': expect.stringContaining('missing libudev.so.1') });
  });

  it('finds a serial port again by VID:PID', () => {
    expect(findSerialPathByUsbId(ports, 0x0c2e, 0x0b87)).toBe('/dev/ttyACM0');
    expect(() => findSerialPathByUsbId(ports, 0x0403, 0x6001)).toThrow('No serial device 0403:6001 is plugged in');
  });
});
