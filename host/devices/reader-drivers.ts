import type { ReaderConfiguration } from '../../core/devices/reader-configurations.ts';
import { createHidPosReader } from '../../drivers/barcode/hid-pos-reader.ts';
import { loadNodeHid, type LoadHidLibrary } from '../../drivers/barcode/hid-library.ts';
import { createSerialBarcodeReader } from '../../drivers/barcode/serial-barcode-reader.ts';
import { Pn532Reader } from '../../drivers/pn532/pn532-reader.ts';
import type { Reader, ReaderEventListener } from '../../drivers/reader.ts';
import { createSimulatedReader } from '../../drivers/simulated/simulated-reader.ts';
import { findSerialPathByUsbId, listSerialPorts, type ListSerialPorts } from './serial-ports.ts';

/**
 * Turns a stored configuration into a running driver. Native packages (serialport, node-hid) are
 * loaded by the drivers when they first open a device, so a missing system library shows up as
 * that reader's `unavailable` status, never as a failure of the app.
 */

export type ReaderFactory = (configuration: ReaderConfiguration) => Reader;

export interface ReaderDriverDependencies {
  listSerialPorts?: ListSerialPorts;
  loadHid?: LoadHidLibrary;
}

function hexBytes(hex: string | null): number[] | null {
  if (!hex) return null;
  return (hex.match(/../g) ?? []).map((pair) => parseInt(pair, 16));
}

/**
 * A PN532 reader configured by USB id: the port is looked up when the reader starts (the PN532
 * driver then keeps that path for its own reconnects).
 */
function pn532ByUsbId(id: string, findPath: () => Promise<string>): Reader {
  let inner: Reader | undefined;
  const listeners = new Set<ReaderEventListener>();
  let stopped = false;
  return {
    id,
    async start() {
      stopped = false;
      let path: string;
      try {
        path = await findPath();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        for (const listener of listeners) listener({ type: 'error', readerId: id, code: 'OPEN_FAILED', message, retryable: false });
        return;
      }
      if (stopped) return;
      inner = new Pn532Reader({ id, path });
      inner.onEvent((event) => {
        for (const listener of listeners) listener(event);
      });
      await inner.start();
    },
    async stop() {
      stopped = true;
      await inner?.stop();
      inner = undefined;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function createReaderFactory(dependencies: ReaderDriverDependencies = {}): ReaderFactory {
  const list = dependencies.listSerialPorts ?? listSerialPorts;
  const loadHid = dependencies.loadHid ?? loadNodeHid;
  return (configuration) => {
    const { id, path, vendorId, productId } = configuration;
    const findPath = async () => {
      if (vendorId === null || productId === null) throw new Error(`Reader "${configuration.name}" has neither a path nor a USB id`);
      return findSerialPathByUsbId(await list(), vendorId, productId);
    };
    switch (configuration.driver) {
      case 'simulated':
        return createSimulatedReader(id);
      case 'serial-barcode':
        return createSerialBarcodeReader({ id, path: path ?? findPath, ...configuration.options });
      case 'hid-pos':
        return createHidPosReader({
          id,
          device: path !== null ? { path } : { vendorId: vendorId ?? 0, productId: productId ?? 0 },
          reportId: configuration.options.reportId,
          enableFeatureReport: hexBytes(configuration.options.enableFeatureReport),
          loadLibrary: loadHid,
        });
      case 'pn532':
        return path !== null ? new Pn532Reader({ id, path }) : pn532ByUsbId(id, findPath);
    }
  };
}
