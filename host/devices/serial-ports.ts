import { SerialDriverUnavailableError } from '../../drivers/serial/serial-transport.ts';

/** A serial port as serialport's `SerialPort.list()` describes it (ids are hex text, no 0x). */
export interface SerialPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export type ListSerialPorts = () => Promise<SerialPortInfo[]>;

/** Lists serial ports; rejects with SerialDriverUnavailableError when serialport cannot load. */
export const listSerialPorts: ListSerialPorts = async () => {
  let module: { SerialPort: { list(): Promise<SerialPortInfo[]> } };
  try {
    module = (await import('serialport')) as unknown as typeof module;
  } catch (error) {
    throw new SerialDriverUnavailableError(error);
  }
  return module.SerialPort.list();
};

export const parseHexId = (text: string | undefined): number | null => {
  if (!text || !/^(0x)?[0-9a-f]{1,4}$/i.test(text)) return null;
  return parseInt(text.replace(/^0x/i, ''), 16);
};

/** The port of the USB device with this VID:PID now (it may have moved after a replug). */
export function findSerialPathByUsbId(ports: SerialPortInfo[], vendorId: number, productId: number): string {
  const port = ports.find((candidate) => parseHexId(candidate.vendorId) === vendorId && parseHexId(candidate.productId) === productId);
  const usbId = `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;
  if (!port) throw new Error(`No serial device ${usbId} is plugged in`);
  return port.path;
}
