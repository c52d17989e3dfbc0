import { describe, expect, it } from 'vitest';
import { encodeHidPosReports } from './hid-pos-codec.ts';
import { HidDriverUnavailableError, hidInstallAdvice } from './hid-library.ts';
import { createHidPosReader, findHidDevice } from './hid-pos-reader.ts';
import { createFakeHid, eventLog } from './testing/fake-transports.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const fastBackoff = { initialMs: 5, maxMs: 20 };
const honeywell = { vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw3', usagePage: 0x8c, usage: 0x02, product: 'Voyager 1470g' };
const honeywellKeyboard = { ...honeywell, path: '/dev/hidraw2', usagePage: 0x01, usage: 0x06 };

/** A recorded session: a QR ticket (one report), then a long URL QR code in three reports. */
const recordedSession = [
  ...encodeHidPosReports(bytes('BO-2026-000123'), ']Q1'),
  Uint8Array.from([0x04, 0x01, 0x00]), // a status report with another id, between scans
  ...encodeHidPosReports(bytes(`https://tickets.example.org/${'a1b2'.repeat(30)}`), ']Q1'),
];

describe('HID POS reader (fake HID transport)', () => {
  it('opens by VID:PID, preferring the barcode interface, and replays recorded reports into scans', async () => {
    const hid = createFakeHid([honeywellKeyboard, honeywell]);
    const reader = createHidPosReader({ id: 'h1', device: { vendorId: 0x0c2e, productId: 0x0b87 }, loadLibrary: async () => hid.library });
    const log = eventLog();
    reader.onEvent(log.listener);
    await reader.start();
    expect(hid.opened).toEqual(['/dev/hidraw3']);
    for (const report of recordedSession) hid.report(report);
    expect(log.events.filter((event) => event.type === 'barcodeScanned')).toEqual([
      { type: 'barcodeScanned', readerId: 'h1', text: 'BO-2026-000123', symbology: 'qr', source: 'hid' },
      { type: 'barcodeScanned', readerId: 'h1', text: `https://tickets.example.org/${'a1b2'.repeat(30)}`, symbology: 'qr', source: 'hid' },
    ]);
    await reader.stop();
  });

  it('survives garbage reports between scans', async () => {
    const hid = createFakeHid([honeywell]);
    const reader = createHidPosReader({ id: 'h1', device: { path: '/dev/hidraw3' }, loadLibrary: async () => hid.library });
    const log = eventLog();
    reader.onEvent(log.listener);
    await reader.start();
    hid.report(Uint8Array.from([0x02, 0xff, 0x00]));
    hid.report(new Uint8Array(0));
    hid.report(encodeHidPosReports(bytes('Q'.repeat(70)), ']Q1')[0]!);
    hid.report(encodeHidPosReports(bytes('BO-5'), ']C0')[0]!);
    expect(log.events.filter((event) => event.type === 'barcodeScanned').map((event) => event.type === 'barcodeScanned' && event.text)).toEqual(['BO-5']);
    await reader.stop();
  });

  it('sends the enabling feature report after opening', async () => {
    const hid = createFakeHid([honeywell]);
    const reader = createHidPosReader({ id: 'h1', device: { path: '/dev/hidraw3' }, enableFeatureReport: [0xfe, 0x01], loadLibrary: async () => hid.library });
    await reader.start();
    expect(hid.featureReports).toEqual([[0xfe, 0x01]]);
    await reader.stop();
  });

  it('reports the unplug and reconnects when the scanner is back', async () => {
    const hid = createFakeHid([honeywell]);
    const reader = createHidPosReader({ id: 'h1', device: { vendorId: 0x0c2e, productId: 0x0b87 }, loadLibrary: async () => hid.library, backoff: fastBackoff });
    const log = eventLog();
    reader.onEvent(log.listener);
    await reader.start();
    const disconnected = log.next('disconnected');
    hid.unplug();
    expect((await disconnected).reason).toMatch(/0c2e:0b87 went away/);
    const missing = await log.next('error');
    expect(missing).toMatchObject({ retryable: true, message: 'No HID device 0c2e:0b87 is plugged in' });
    const connected = log.next('connected');
    hid.devices = [honeywell];
    await connected;
    const scanned = log.next('barcodeScanned');
    hid.report(encodeHidPosReports(bytes('BO-6'), ']C0')[0]!);
    expect(await scanned).toMatchObject({ text: 'BO-6' });
    await reader.stop();
  });

  it('a missing native library disables only this reader, once, with what to install', async () => {
    let loads = 0;
    const reader = createHidPosReader({
      id: 'h1',
      device: { path: '/dev/hidraw3' },
      backoff: fastBackoff,
      loadLibrary: async () => {
        loads += 1;
        const error = Object.assign(new Error('libudev.so.1: cannot open shared object file: No such file or directory'), { code: 'ERR_DLOPEN_FAILED' });
        throw new HidDriverUnavailableError(error, 'linux');
      },
    });
    const log = eventLog();
    reader.onEvent(log.listener);
    await reader.start();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(loads).toBe(1);
    expect(log.events).toHaveLength(1);
    expect(log.events[0]).toMatchObject({ type: 'error', code: 'DRIVER_UNAVAILABLE', retryable: false });
    const message = log.events[0]!.type === 'error' ? log.events[0]!.message : '';
    expect(message).toContain('missing libudev.so.1');
    expect(message).toContain('sudo apt install libudev1 libusb-1.0-0');
    await reader.stop();
  });

  it('gives install advice for every platform', () => {
    expect(hidInstallAdvice('linux')).toMatch(/libudev1/);
    expect(hidInstallAdvice('darwin')).toMatch(/macOS/);
    expect(hidInstallAdvice('win32')).toMatch(/Windows/);
  });

  it('finds devices by path or by VID:PID', () => {
    const devices = [honeywellKeyboard, honeywell];
    expect(findHidDevice(devices, { path: '/dev/hidraw2' })).toBe(honeywellKeyboard);
    expect(findHidDevice(devices, { vendorId: 0x0c2e, productId: 0x0b87 })).toBe(honeywell);
    expect(findHidDevice([honeywellKeyboard], { vendorId: 0x0c2e, productId: 0x0b87 })).toBe(honeywellKeyboard);
    expect(findHidDevice(devices, { vendorId: 1, productId: 2 })).toBeUndefined();
  });
});
