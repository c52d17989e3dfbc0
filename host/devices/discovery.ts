import type { ReaderCandidate, ReaderDriverName } from '../../core/readers/readers.contract.ts';
import { loadNodeHid, type LoadHidLibrary } from '../../drivers/barcode/hid-library.ts';
import { barcodeScannerUsagePage } from '../../drivers/barcode/hid-pos-reader.ts';
import { listSerialPorts, parseHexId, type ListSerialPorts } from './serial-ports.ts';

/**
 * Finds devices that could be readers: serial ports (with their USB VID:PID when they are USB) and
 * HID interfaces on the barcode scanner usage page. Each kind is listed on its own, so a machine
 * without node-hid's libraries still lists its serial ports, and the other way round.
 */

export type Candidate = Omit<ReaderCandidate, 'configuredAs'>;

export interface Discovery {
  candidates: Candidate[];
  unavailable: { kind: 'serial' | 'hid'; message: string }[];
}

/** USB vendors of barcode scanners: their virtual COM ports are scanners, not NFC readers. */
const scannerVendors = new Set([
  0x0c2e, // Honeywell (Metrologic)
  0x05e0, // Zebra (Symbol)
  0x05f9, // Datalogic
  0x1eab, // Newland
  0x065a, // Opticon
  0x0536, // Hand Held Products
]);

/** USB-to-UART bridges that PN532 boards use. */
const uartBridges = new Set(['1a86:7523', '1a86:55d4', '10c4:ea60', '0403:6001', '0403:6015', '067b:2303']);

const hex4 = (value: number) => value.toString(16).padStart(4, '0');

function serialSuggestion(vendorId: number | null, usbId: string | null): ReaderDriverName | null {
  if (vendorId !== null && scannerVendors.has(vendorId)) return 'serial-barcode';
  if (usbId !== null && uartBridges.has(usbId)) return 'pn532';
  return null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function discoverCandidates(dependencies: { listSerialPorts?: ListSerialPorts; loadHid?: LoadHidLibrary } = {}): Promise<Discovery> {
  const list = dependencies.listSerialPorts ?? listSerialPorts;
  const loadHid = dependencies.loadHid ?? loadNodeHid;
  const discovery: Discovery = { candidates: [], unavailable: [] };

  const [serial, hid] = await Promise.allSettled([list(), loadHid().then((library) => library.devices())]);

  if (serial.status === 'fulfilled') {
    for (const port of serial.value) {
      const vendorId = parseHexId(port.vendorId);
      const productId = parseHexId(port.productId);
      const usbId = vendorId !== null && productId !== null ? `${hex4(vendorId)}:${hex4(productId)}` : null;
      discovery.candidates.push({
        kind: 'serial',
        path: port.path,
        usbId,
        manufacturer: port.manufacturer ?? null,
        product: null,
        serialNumber: port.serialNumber ?? null,
        usagePage: null,
        suggestedDriver: serialSuggestion(vendorId, usbId),
      });
    }
  } else {
    discovery.unavailable.push({ kind: 'serial', message: message(serial.reason) });
  }

  if (hid.status === 'fulfilled') {
    const seen = new Set<string>();
    for (const device of hid.value) {
      if (device.usagePage !== barcodeScannerUsagePage || !device.path || seen.has(device.path)) continue;
      seen.add(device.path);
      discovery.candidates.push({
        kind: 'hid',
        path: device.path,
        usbId: `${hex4(device.vendorId)}:${hex4(device.productId)}`,
        manufacturer: device.manufacturer ?? null,
        product: device.product ?? null,
        serialNumber: device.serialNumber ?? null,
        usagePage: device.usagePage,
        suggestedDriver: 'hid-pos',
      });
    }
  } else {
    discovery.unavailable.push({ kind: 'hid', message: message(hid.reason) });
  }
  return discovery;
}
