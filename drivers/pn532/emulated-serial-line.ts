/**
 * The PN532 emulator behind an in-memory serial line: an OpenSerialTransport for fast driver tests
 * (and for the device manager's tests) without a pseudo-terminal. Bytes cross the line
 * asynchronously, as they do on a wire; `unplug()` and `replug()` act out a USB adapter pulled out
 * and plugged back in.
 */
import { SerialOpenError, type OpenSerialTransport, type SerialTransport } from '../serial/serial-transport.ts';
import { Pn532Emulator, type Pn532EmulatorOptions } from './emulator.ts';

interface OpenPort {
  data: Set<(chunk: Uint8Array) => void>;
  close: Set<(reason: string) => void>;
  closed: boolean;
}

export class EmulatedSerialLine {
  readonly emulator: Pn532Emulator;
  private plugged = true;
  private port: OpenPort | undefined;
  /** How many times the driver opened the line. */
  opens = 0;

  constructor(options: Omit<Pn532EmulatorOptions, 'send'> = {}) {
    this.emulator = new Pn532Emulator({
      ...options,
      send: (bytes) => {
        const port = this.port;
        const copy = bytes.slice();
        setImmediate(() => {
          if (port && !port.closed) for (const listener of [...port.data]) listener(copy);
        });
      },
    });
  }

  get isOpen(): boolean {
    return this.port !== undefined && !this.port.closed;
  }

  readonly open: OpenSerialTransport = async ({ path }) => {
    if (!this.plugged) throw new SerialOpenError(path, new Error(`Error: No such file or directory, cannot open ${path}`));
    if (this.isOpen) throw new SerialOpenError(path, new Error('Error Resource temporarily unavailable Cannot lock port'));
    this.opens += 1;
    const port: OpenPort = { data: new Set(), close: new Set(), closed: false };
    this.port = port;
    const transport: SerialTransport = {
      path,
      write: async (bytes) => {
        if (port.closed) throw new Error(`${path} is closed`);
        const copy = bytes.slice();
        setImmediate(() => {
          if (!port.closed) this.emulator.receive(copy);
        });
      },
      close: async () => {
        port.closed = true;
      },
      onData(listener) {
        port.data.add(listener);
        return () => port.data.delete(listener);
      },
      onClose(listener) {
        port.close.add(listener);
        return () => port.close.delete(listener);
      },
    };
    return transport;
  };

  /** The adapter is pulled out: the open port closes and opening fails until `replug()`. */
  unplug(): void {
    this.plugged = false;
    const port = this.port;
    if (port && !port.closed) {
      port.closed = true;
      for (const listener of [...port.close]) listener('device disconnected');
    }
  }

  /** Plugged back in: the chip starts from its power-on state. */
  replug(): void {
    this.emulator.powerCycle();
    this.plugged = true;
  }
}
