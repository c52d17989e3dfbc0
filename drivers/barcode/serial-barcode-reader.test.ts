import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createSerialBarcodeFramer } from './serial-barcode-framer.ts';
import { createSerialBarcodeReader } from './serial-barcode-reader.ts';
import { createFakeSerialPort, eventLog } from './testing/fake-transports.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const fastBackoff = { initialMs: 5, maxMs: 20 };

describe('serial barcode framing', () => {
  it('ends barcodes at CR, CRLF and LF', () => {
    const framer = createSerialBarcodeFramer({ suffix: 'auto', aimPrefix: false });
    expect(framer.push(bytes('BO-1\rBO-2\r\nBO-3\n')).map((scan) => scan.text)).toEqual(['BO-1', 'BO-2', 'BO-3']);
    expect(framer.pending).toBe(false);
  });

  it('gives the same barcodes whatever the chunking', () => {
    const stream = bytes(']Q1BO-2026-000123\r\n]C0ABC-9\r]E05901234123457\n');
    const expected = [
      { text: 'BO-2026-000123', symbology: 'qr' },
      { text: 'ABC-9', symbology: 'code128' },
      { text: '5901234123457', symbology: 'ean13' },
    ];
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const framer = createSerialBarcodeFramer({ suffix: 'auto', aimPrefix: true });
      expect([...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))]).toEqual(expected);
    }
  });

  it('without a suffix, a barcode ends at the pause (flush)', () => {
    const framer = createSerialBarcodeFramer({ suffix: 'none', aimPrefix: false });
    expect(framer.push(bytes('LINE 1\r\nLINE 2'))).toEqual([]);
    expect(framer.flush()).toEqual([{ text: 'LINE 1\r\nLINE 2', symbology: 'unknown' }]);
    expect(framer.flush()).toEqual([]);
  });

  it('keeps a leading ] when the scanner is not set to send AIM identifiers', () => {
    const framer = createSerialBarcodeFramer({ suffix: 'auto', aimPrefix: false });
    expect(framer.push(bytes(']Q1BO-1\r'))).toEqual([{ text: ']Q1BO-1', symbology: 'unknown' }]);
  });

  it('never throws, and a barcode after garbage and a line end is read exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (garbage) => {
        const framer = createSerialBarcodeFramer({ suffix: 'auto', aimPrefix: true });
        framer.push(garbage);
        expect(framer.push(bytes('\r]Q1BO-77\r'))).toContainEqual({ text: 'BO-77', symbology: 'qr' });
      }),
    );
  });
});

describe('serial barcode reader (fake port)', () => {
  it('reports barcodes with CR, CRLF and no suffix (inter-byte pause)', async () => {
    const port = createFakeSerialPort();
    const reader = createSerialBarcodeReader({ id: 'r1', path: '/dev/ttyFAKE', openTransport: port.open, interByteTimeoutMs: 20, backoff: fastBackoff });
    const log = eventLog();
    reader.onEvent(log.listener);
    await reader.start();
    expect(log.types()).toEqual(['connected']);
    port.send('BO-1\r');
    port.send('BO-2\r\n');
    const third = log.next('barcodeScanned');
    port.send('BO-');
    port.send('3');
    expect(log.events.filter((event) => event.type === 'barcodeScanned')).toHaveLength(2);
    await third;
    const scans = log.events.filter((event) => event.type === 'barcodeScanned');
    expect(scans).toEqual([
      { type: 'barcodeScanned', readerId: 'r1', text: 'BO-1', symbology: 'unknown', source: 'serial' },
      { type: 'barcodeScanned', readerId: 'r1', text: 'BO-2', symbology: 'unknown', source: 'serial' },
      { type: 'barcodeScanned', readerId: 'r1', text: 'BO-3', symbology: 'unknown', source: 'serial' },
    ]);
    await reader.stop();
  });

  it('strips the AIM prefix when configured', async () => {
    const port = createFakeSerialPort();
    const reader = createSerialBarcodeReader({ id: 'r1', path: '/dev/ttyFAKE', openTransport: port.open, aimPrefix: true });
    const log = eventLog();
    reader.onEvent(log.listener);
    await reader.start();
    const scanned = log.next('barcodeScanned');
    port.send(']Q1BO-2026-000123\r');
    expect(await scanned).toMatchObject({ text: 'BO-2026-000123', symbology: 'qr' });
    await reader.stop();
  });

  it('reports the unplug, retries while the port is missing and reconnects when it is back', async () => {
    const port = createFakeSerialPort();
    const reader = createSerialBarcodeReader({ id: 'r1', path: '/dev/ttyFAKE', openTransport: port.open, backoff: fastBackoff });
    const log = eventLog();
    reader.onEvent(log.listener);
    await reader.start();
    const disconnected = log.next('disconnected');
    port.unplug('device reports readiness to read but returned no data');
    expect(await disconnected).toMatchObject({ reason: 'device reports readiness to read but returned no data' });
    const retry = await log.next('error');
    expect(retry).toMatchObject({ retryable: true, code: 'OPEN_FAILED' });
    const connected = log.next('connected');
    port.plugged = true;
    await connected;
    const scanned = log.next('barcodeScanned');
    port.send('BO-9\r');
    expect(await scanned).toMatchObject({ text: 'BO-9' });
    expect(port.opens).toBe(2);
    await reader.stop();
    expect(log.events.at(-1)).toEqual({ type: 'disconnected', readerId: 'r1', reason: 'Reader stopped' });
  });

  it('finds the port again by a lookup function at each attempt, and emits nothing after stop', async () => {
    const port = createFakeSerialPort();
    const paths: string[] = [];
    const reader = createSerialBarcodeReader({
      id: 'r1',
      path: async () => {
        const path = `/dev/ttyACM${paths.length}`;
        paths.push(path);
        return path;
      },
      openTransport: port.open,
      backoff: fastBackoff,
    });
    const log = eventLog();
    reader.onEvent(log.listener);
    await reader.start();
    const connected = log.next('connected');
    port.unplug();
    port.plugged = true;
    await connected;
    expect(paths).toEqual(['/dev/ttyACM0', '/dev/ttyACM1']);
    await reader.stop();
    const count = log.events.length;
    port.send('BO-1\r');
    expect(log.events).toHaveLength(count);
  });

  it('reports a missing serialport binding once, as not retryable', async () => {
    const { SerialDriverUnavailableError } = await import('../serial/serial-transport.ts');
    let attempts = 0;
    const reader = createSerialBarcodeReader({
      id: 'r1',
      path: '/dev/ttyS9',
      backoff: fastBackoff,
      openTransport: async () => {
        attempts += 1;
        throw new SerialDriverUnavailableError(new Error('libc.so.6: version GLIBC_2.99 not found'));
      },
    });
    const log = eventLog();
    reader.onEvent(log.listener);
    await reader.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(1);
    expect(log.events).toEqual([expect.objectContaining({ type: 'error', code: 'DRIVER_UNAVAILABLE', retryable: false })]);
    await reader.stop();
  });
});

describe('serial barcode reader through a real pseudo-terminal', () => {
  let socat: ChildProcess | undefined;
  let folder: string | undefined;

  afterEach(() => {
    socat?.kill('SIGTERM');
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('reads CR, CRLF and unterminated barcodes with the real serialport binding', async () => {
    folder = mkdtempSync(join(tmpdir(), 'box-office-pty-'));
    const readerSide = join(folder, 'reader');
    const scannerSide = join(folder, 'scanner');
    socat = spawn('socat', [`pty,raw,echo=0,link=${readerSide}`, `pty,raw,echo=0,link=${scannerSide}`], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    while (!(existsSync(readerSide) && existsSync(scannerSide))) {
      if (Date.now() > deadline) throw new Error('socat did not create the pseudo-terminals (is socat installed?)');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const reader = createSerialBarcodeReader({ id: 'pty', path: readerSide, aimPrefix: true, interByteTimeoutMs: 80 });
    const log = eventLog();
    reader.onEvent(log.listener);
    const connected = log.next('connected');
    await reader.start();
    await connected;

    const scanner = openSync(scannerSide, 'w');
    try {
      for (const line of [']Q1BO-2026-000123\r', ']C0ABC-9\r\n', ']E05901234123457']) {
        const scanned = log.next('barcodeScanned');
        writeSync(scanner, line);
        await scanned;
      }
    } finally {
      closeSync(scanner);
    }
    expect(log.events.filter((event) => event.type === 'barcodeScanned')).toEqual([
      { type: 'barcodeScanned', readerId: 'pty', text: 'BO-2026-000123', symbology: 'qr', source: 'serial' },
      { type: 'barcodeScanned', readerId: 'pty', text: 'ABC-9', symbology: 'code128', source: 'serial' },
      { type: 'barcodeScanned', readerId: 'pty', text: '5901234123457', symbology: 'ean13', source: 'serial' },
    ]);
    await reader.stop();
  });
});
