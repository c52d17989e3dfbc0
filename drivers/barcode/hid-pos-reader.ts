import type { Reader } from '../reader.ts';
import { createHidPosDecoder } from './hid-pos-codec.ts';
import { HidDriverUnavailableError, loadNodeHid, type HidDeviceHandle, type HidDeviceInfo, type LoadHidLibrary } from './hid-library.ts';
import { createReopeningDevice, defaultBackoff, type Backoff } from './reopening-device.ts';

/** HID usage page of barcode scanners (HID Point of Sale Usage Tables). */
export const barcodeScannerUsagePage = 0x8c;

export type HidDeviceSelector = { path: string } | { vendorId: number; productId: number };

export interface HidPosReaderOptions {
  id: string;
  device: HidDeviceSelector;
  reportId?: number;
  /**
   * A feature report sent right after opening, for scanners that stay silent until told to use
   * HID POS (Honeywell: report 0xFE, value 0x01). The first byte is the report id.
   */
  enableFeatureReport?: number[] | null;
  loadLibrary?: LoadHidLibrary;
  backoff?: Backoff;
}

/** Whether `device` is the one a selector names; by VID:PID, its barcode interface is preferred. */
export function findHidDevice(devices: HidDeviceInfo[], selector: HidDeviceSelector): HidDeviceInfo | undefined {
  if ('path' in selector) return devices.find((device) => device.path === selector.path);
  const matching = devices.filter((device) => device.vendorId === selector.vendorId && device.productId === selector.productId && device.path);
  return matching.find((device) => device.usagePage === barcodeScannerUsagePage) ?? matching[0];
}

const hex4 = (value: number) => value.toString(16).padStart(4, '0');

export function describeHidSelector(selector: HidDeviceSelector): string {
  return 'path' in selector ? selector.path : `${hex4(selector.vendorId)}:${hex4(selector.productId)}`;
}

export function createHidPosReader(options: HidPosReaderOptions): Reader {
  const load = options.loadLibrary ?? loadNodeHid;
  const decoder = createHidPosDecoder(options.reportId === undefined ? {} : { reportId: options.reportId });

  const device = createReopeningDevice<HidDeviceHandle>(
    options.id,
    {
      async open() {
        const library = await load();
        let path: string;
        if ('path' in options.device) {
          path = options.device.path;
        } else {
          const found = findHidDevice(await library.devices(), options.device);
          if (!found?.path) throw new Error(`No HID device ${describeHidSelector(options.device)} is plugged in`);
          path = found.path;
        }
        let handle: HidDeviceHandle;
        try {
          handle = await library.open(path);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(
            /permission|EACCES|cannot open device/i.test(message) && process.platform === 'linux'
              ? `Cannot open ${path}: permission denied (install Box Office's udev rules, then unplug and replug the scanner)`
              : `Cannot open ${path}: ${message}`,
            { cause: error },
          );
        }
        if (options.enableFeatureReport && options.enableFeatureReport.length > 0) {
          try {
            await handle.sendFeatureReport(options.enableFeatureReport);
          } catch (error) {
            await handle.close().catch(() => undefined);
            throw new Error(`The scanner at ${path} refused the enabling feature report: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
          }
        }
        return handle;
      },
      attach(handle, lost) {
        decoder.reset();
        handle.on('data', (report) => {
          const scan = decoder.push(report);
          if (scan) device.emit({ type: 'barcodeScanned', readerId: options.id, text: scan.text, symbology: scan.symbology, source: 'hid' });
        });
        handle.on('error', (error) => lost(`HID device ${describeHidSelector(options.device)} went away: ${error instanceof Error ? error.message : String(error)}`));
      },
      async close(handle) {
        handle.removeAllListeners('data');
        handle.removeAllListeners('error');
        decoder.reset();
        await handle.close();
      },
      describeFailure(error) {
        if (error instanceof HidDriverUnavailableError) return { code: error.code, message: error.message, retryable: false };
        return { code: 'OPEN_FAILED', message: error instanceof Error ? error.message : String(error), retryable: true };
      },
    },
    options.backoff ?? defaultBackoff,
  );

  return { id: options.id, start: device.start, stop: device.stop, onEvent: device.onEvent };
}
