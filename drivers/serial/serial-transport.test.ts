import { constants, openSync, closeSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPtyPair, type PtyPair } from './pty-pair.ts';
import { openSerialTransport, SerialDriverUnavailableError, SerialOpenError, type LoadSerialPort, type SerialTransport } from './serial-transport.ts';
import { readUntilDataOrHangup, SerialLineHungUpError } from './tty-hangup.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openPair(): Promise<{ pair: PtyPair; host: SerialTransport; device: SerialTransport }> {
  const pair = await createPtyPair();
  cleanups.push(() => pair.dispose());
  const host = await openSerialTransport({ path: pair.hostPath, baudRate: 115200 });
  const device = await openSerialTransport({ path: pair.devicePath, baudRate: 115200 });
  cleanups.push(async () => {
    await host.close();
    await device.close();
  });
  return { pair, host, device };
}

/** Resolves with the reason of the transport's next loss: the test waits for the event itself, not for a deadline. */
const nextLoss = (transport: SerialTransport) =>
  new Promise<string>((resolve) => {
    const unsubscribe = transport.onClose((reason) => {
      unsubscribe();
      resolve(reason);
    });
  });

const received = (transport: SerialTransport) => {
  const bytes: number[] = [];
  transport.onData((chunk) => bytes.push(...chunk));
  return bytes;
};

describe('openSerialTransport through a pseudo-terminal', () => {
  it('carries bytes both ways', async () => {
    const { host, device } = await openPair();
    const atDevice = received(device);
    const atHost = received(host);
    await host.write(Uint8Array.of(0x00, 0x00, 0xff, 0x00, 0xff, 0x00));
    await device.write(Uint8Array.of(0x55, 0xaa));
    await vi.waitFor(() => expect(atDevice).toEqual([0x00, 0x00, 0xff, 0x00, 0xff, 0x00]), { timeout: 10_000, interval: 10 });
    await vi.waitFor(() => expect(atHost).toEqual([0x55, 0xaa]), { timeout: 10_000, interval: 10 });
  });

  it('reports the device vanishing once, and refuses writes afterwards', async () => {
    const { pair, host } = await openPair();
    const reasons: string[] = [];
    host.onClose((reason) => reasons.push(reason));
    const loss = nextLoss(host);
    await pair.stop();
    expect(await loss).toContain(pair.hostPath);
    await expect(host.write(Uint8Array.of(1))).rejects.toThrow('is closed');
    expect(reasons).toHaveLength(1);
  });

  it('notices every unplug, whatever its read loop was doing when the device went', async () => {
    // Before tty-hangup.ts about one unplug in ten (more under load) went unnoticed: see there.
    const pair = await createPtyPair();
    cleanups.push(() => pair.dispose());
    for (let unplug = 1; unplug <= 25; unplug++) {
      const host = await openSerialTransport({ path: pair.hostPath, baudRate: 115200 });
      const loss = nextLoss(host);
      await pair.stop();
      expect(await loss).toContain(pair.hostPath);
      await host.close();
      await pair.start();
    }
  });

  it('does not report its own close as a loss; closing twice is harmless', async () => {
    const { host } = await openPair();
    const reasons: string[] = [];
    host.onClose((reason) => reasons.push(reason));
    await host.close();
    await host.close();
    await expect(host.write(Uint8Array.of(1))).rejects.toThrow('is closed');
    expect(reasons).toEqual([]);
  });

  it('unsubscribes data listeners', async () => {
    const { host, device } = await openPair();
    const bytes: number[] = [];
    const unsubscribe = device.onData((chunk) => bytes.push(...chunk));
    const all = received(device);
    unsubscribe();
    await host.write(Uint8Array.of(7));
    await vi.waitFor(() => expect(all).toEqual([7]), { timeout: 10_000, interval: 10 });
    expect(bytes).toEqual([]);
  });
});

describe('readUntilDataOrHangup on a pseudo-terminal', () => {
  it('reports a hangup when the read starts after the device went (a tty read of 0 bytes)', async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.dispose());
    const fd = openSync(pair.hostPath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    cleanups.push(async () => closeSync(fd));
    await pair.stop();
    // serialport's own read re-reads a 0-byte result forever here; the poller is never consulted.
    const neverReadable = { once: () => undefined };
    const read = readUntilDataOrHangup({ fd, isOpen: true, poller: neverReadable, read: () => Promise.reject(new Error('unused')) }, Buffer.alloc(64), 0, 64);
    await expect(read).rejects.toBeInstanceOf(SerialLineHungUpError);
  });
  // The normal read path (EAGAIN, then the poller, then bytes) is the transport's: see 'carries bytes both ways'.
});

/** A stand-in for serialport's class whose writes never complete, as on a port that closed under them. */
const loadPortThatCloses: LoadSerialPort = async () =>
  class extends EventEmitter {
    static readonly binding = { open: () => Promise.reject(new Error('unused')) };
    isOpen = true;
    open(callback: (error: Error | null) => void) {
      callback(null);
    }
    write() {
      return false;
    }
    drain() {}
    close(callback: (error: Error | null) => void) {
      this.isOpen = false;
      callback(null);
    }
  } as unknown as Awaited<ReturnType<LoadSerialPort>>;

describe('openSerialTransport and a close racing a write', () => {
  it('settles a write the port lost instead of leaving it pending', async () => {
    const transport = await openSerialTransport({ path: '/dev/ttyFAKE', baudRate: 115200 }, loadPortThatCloses);
    const write = transport.write(Uint8Array.of(1));
    await transport.close();
    await expect(write).rejects.toThrow('/dev/ttyFAKE is closed');
  });
});

describe('openSerialTransport failures', () => {
  it('rejects a missing device with a retryable open error naming the path', async () => {
    const error = await openSerialTransport({ path: '/dev/box-office-no-such-port', baudRate: 115200 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SerialOpenError);
    expect((error as SerialOpenError).code).toBe('OPEN_FAILED');
    expect((error as SerialOpenError).message).toContain('/dev/box-office-no-such-port');
  });

  it('explains a permission problem', () => {
    const error = new SerialOpenError('/dev/ttyUSB0', new Error('Error: Permission denied, cannot open /dev/ttyUSB0'));
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.message).toContain('dialout');
  });

  it('reports a serialport binding that cannot load as DRIVER_UNAVAILABLE, saying what to do', async () => {
    const error = await openSerialTransport({ path: '/dev/ttyUSB0', baudRate: 115200 }, () =>
      Promise.reject(new Error('No native build was found for platform=linux arch=x64')),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SerialDriverUnavailableError);
    expect((error as SerialDriverUnavailableError).code).toBe('DRIVER_UNAVAILABLE');
    expect((error as Error).message).toContain('No native build was found');
    expect((error as Error).message).toContain('npm ci');
  });
});
