import type { Reader } from '../reader.ts';
import {
  openSerialTransport,
  SerialDriverUnavailableError,
  SerialOpenError,
  type OpenSerialTransport,
  type SerialTransport,
} from '../serial/serial-transport.ts';
import { createReopeningDevice, defaultBackoff, type Backoff } from './reopening-device.ts';
import { createSerialBarcodeFramer, type SerialBarcodeFraming } from './serial-barcode-framer.ts';

/**
 * A barcode scanner on a serial port (RS-232, or USB in CDC/virtual COM mode). Reopens the port
 * with backoff after an unplug; the port path may change on replug, so the caller can give a
 * function that finds the current path (by USB VID:PID) at every attempt.
 */

export interface SerialBarcodeReaderOptions extends Partial<SerialBarcodeFraming> {
  id: string;
  /** The port, or a function finding it at each attempt (a scanner configured by VID:PID). */
  path: string | (() => Promise<string>);
  baudRate?: number;
  interByteTimeoutMs?: number;
  openTransport?: OpenSerialTransport;
  backoff?: Backoff;
}

export const serialBarcodeDefaults = { baudRate: 9600, interByteTimeoutMs: 50, suffix: 'auto', aimPrefix: false } as const;

export function createSerialBarcodeReader(options: SerialBarcodeReaderOptions): Reader {
  const open = options.openTransport ?? openSerialTransport;
  const baudRate = options.baudRate ?? serialBarcodeDefaults.baudRate;
  const pauseMs = options.interByteTimeoutMs ?? serialBarcodeDefaults.interByteTimeoutMs;
  const framing: SerialBarcodeFraming = {
    suffix: options.suffix ?? serialBarcodeDefaults.suffix,
    aimPrefix: options.aimPrefix ?? serialBarcodeDefaults.aimPrefix,
  };

  const device = createReopeningDevice<{ transport: SerialTransport; stopReading(): void }>(
    options.id,
    {
      async open() {
        const path = typeof options.path === 'string' ? options.path : await options.path();
        return { transport: await open({ path, baudRate }), stopReading: () => undefined };
      },
      attach(handle, lost) {
        const framer = createSerialBarcodeFramer(framing);
        let pause: ReturnType<typeof setTimeout> | undefined;
        const report = (scans: ReturnType<typeof framer.push>) => {
          for (const scan of scans) {
            device.emit({ type: 'barcodeScanned', readerId: options.id, text: scan.text, symbology: scan.symbology, source: 'serial' });
          }
        };
        const offData = handle.transport.onData((chunk) => {
          if (pause) clearTimeout(pause);
          report(framer.push(chunk));
          if (framer.pending) pause = setTimeout(() => report(framer.flush()), pauseMs);
        });
        const offClose = handle.transport.onClose((reason) => {
          handle.stopReading();
          lost(reason);
        });
        handle.stopReading = () => {
          if (pause) clearTimeout(pause);
          offData();
          offClose();
        };
      },
      async close(handle) {
        handle.stopReading();
        await handle.transport.close();
      },
      describeFailure(error) {
        if (error instanceof SerialDriverUnavailableError) return { code: error.code, message: error.message, retryable: false };
        if (error instanceof SerialOpenError) return { code: error.code, message: error.message, retryable: true };
        return { code: 'OPEN_FAILED', message: error instanceof Error ? error.message : String(error), retryable: true };
      },
    },
    options.backoff ?? defaultBackoff,
  );

  return { id: options.id, start: device.start, stop: device.stop, onEvent: device.onEvent };
}
