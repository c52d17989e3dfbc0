import type { ReaderDriverName } from '../../core/readers/readers.contract.ts';
import { loadNodeHid, type LoadHidLibrary } from '../../drivers/barcode/hid-library.ts';
import { listSerialPorts, type ListSerialPorts } from './serial-ports.ts';

/**
 * Which drivers can load on this machine: for each, null when it can, or the message saying what
 * is missing and what to install. Serial drivers share serialport; HID POS needs node-hid.
 */
export async function probeReaderDrivers(
  dependencies: { listSerialPorts?: ListSerialPorts; loadHid?: LoadHidLibrary } = {},
): Promise<Record<ReaderDriverName, string | null>> {
  const [serial, hid] = await Promise.allSettled([(dependencies.listSerialPorts ?? listSerialPorts)(), (dependencies.loadHid ?? loadNodeHid)()]);
  const serialProblem = serial.status === 'rejected' ? (serial.reason instanceof Error ? serial.reason.message : String(serial.reason)) : null;
  const hidProblem = hid.status === 'rejected' ? (hid.reason instanceof Error ? hid.reason.message : String(hid.reason)) : null;
  return { pn532: serialProblem, 'serial-barcode': serialProblem, 'hid-pos': hidProblem, simulated: null };
}
