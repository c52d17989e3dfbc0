import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPtyPair, type PtyPair } from './pty-pair.ts';
import { openSerialTransport, SerialDriverUnavailableError, SerialOpenError, type SerialTransport } from './serial-transport.ts';

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
    await pair.stop();
    await vi.waitFor(() => expect(reasons).toHaveLength(1), { timeout: 10_000, interval: 10 });
    expect(reasons[0]).toContain(pair.hostPath);
    await expect(host.write(Uint8Array.of(1))).rejects.toThrow('is closed');
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
