/**
 * The PN532 emulator plugged into a serial path (one end of a pseudo-terminal pair), opened with
 * the real serialport binding. `attach()` again after the pair is recreated: the same emulator
 * (same tag, same counters) comes back on the new port, as a reader would after an unplug.
 */
import { openSerialTransport, type SerialTransport } from '../serial/serial-transport.ts';
import { Pn532Emulator, type Pn532EmulatorOptions } from './emulator.ts';

export class EmulatedPn532Port {
  readonly emulator: Pn532Emulator;
  private readonly path: string;
  private transport: SerialTransport | undefined;

  constructor(path: string, options: Omit<Pn532EmulatorOptions, 'send'> = {}) {
    this.path = path;
    this.emulator = new Pn532Emulator({
      ...options,
      send: (bytes) => {
        // A write racing an unplug is lost, as it would be on the wire.
        this.transport?.write(bytes).catch(() => undefined);
      },
    });
  }

  get attached(): boolean {
    return this.transport !== undefined;
  }

  /** Opens the device end; the emulator starts over from its power-on state. */
  async attach(): Promise<void> {
    await this.detach();
    const transport = await openSerialTransport({ path: this.path, baudRate: 115200 });
    this.emulator.powerCycle();
    transport.onData((chunk) => this.emulator.receive(chunk));
    transport.onClose(() => {
      if (this.transport === transport) this.transport = undefined;
    });
    this.transport = transport;
  }

  async detach(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    await transport?.close();
  }
}
