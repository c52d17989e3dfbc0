/**
 * Noticing that a serial device went away, whatever the read loop was doing at that moment.
 *
 * On Linux (and macOS) an unplugged USB adapter or a closed pseudo-terminal master hangs the tty
 * up: from then on `read()` returns 0 bytes and `poll()` reports POLLERR|POLLHUP. serialport's
 * binding (@serialport/bindings-cpp 13, `unixRead`) treats a zero-byte read as "nothing yet, read
 * again", so the loss was reported only when the hangup found the read parked in the poller (the
 * poller turns POLLERR into an error). When the read was on its way through libuv's thread pool
 * instead — the usual case on a loaded machine, 4 runs in 40 on an idle one here — it re-read 0
 * bytes forever, spinning a thread-pool thread and never reporting the unplug. That was the CI
 * failure of "reports the device vanishing once".
 *
 * Ports are opened with VMIN=1, VTIME=0 and O_NONBLOCK, so a read with no data fails with EAGAIN;
 * 0 bytes can only mean end of file, i.e. the line hung up. This read says so.
 */
import { read as readFromFd } from 'node:fs';
import { promisify } from 'node:util';

export type ReadFromFd = (fd: number, buffer: Buffer, offset: number, length: number, position: null) => Promise<{ bytesRead: number }>;

const readFromFdAsync: ReadFromFd = promisify(readFromFd);

/** The parts of serialport's Linux/macOS port binding (LinuxPortBinding, DarwinPortBinding) this read uses. */
export interface UnixSerialPortBinding {
  readonly fd: number | null;
  readonly isOpen: boolean;
  readonly poller: { once(event: 'readable', listener: (error: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>;
}

/** serialport's stream closes the port (and emits `close` with the error) on any error not marked `canceled`. */
const portNotOpen = () => Object.assign(new Error('Port is not open'), { canceled: true });

export class SerialLineHungUpError extends Error {
  readonly disconnect = true;

  constructor() {
    super('the device hung up (unplugged or powered off)');
    this.name = 'SerialLineHungUpError';
  }
}

const waitUntilReadable = (port: UnixSerialPortBinding) =>
  new Promise<void>((resolve, reject) => {
    port.poller.once('readable', (error) => (error ? reject(error) : resolve()));
  });

const isRetryable = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
};

/** Reads at least one byte, or rejects: SerialLineHungUpError when the line hung up, `canceled` when the port was closed. */
export async function readUntilDataOrHangup(
  port: UnixSerialPortBinding,
  buffer: Buffer,
  offset: number,
  length: number,
  read: ReadFromFd = readFromFdAsync,
): Promise<{ bytesRead: number; buffer: Buffer }> {
  for (;;) {
    const fd = port.fd;
    if (!port.isOpen || fd === null) throw portNotOpen();
    try {
      const { bytesRead } = await read(fd, buffer, offset, length, null);
      if (bytesRead === 0) throw new SerialLineHungUpError();
      return { bytesRead, buffer };
    } catch (error) {
      if (!isRetryable(error)) throw error;
    }
    if (!port.isOpen) throw portNotOpen();
    // The poller reports POLLERR (a hangup while waiting) as an error, which ends the read too.
    await waitUntilReadable(port);
  }
}

const isUnixSerialPortBinding = (port: unknown): port is UnixSerialPortBinding => {
  const candidate = port as Partial<UnixSerialPortBinding> | null;
  return typeof candidate?.fd === 'number' && typeof candidate.poller?.once === 'function' && typeof candidate.read === 'function';
};

/** What serialport's stream needs from a binding: `open` resolving to a port binding. */
export interface SerialBinding {
  open(options: object): Promise<unknown>;
}

/**
 * The same binding, whose Linux/macOS ports read with `readUntilDataOrHangup`. Windows ports have
 * no file descriptor and report a removed device through their own read error, so they are left as
 * they are.
 */
export function withHangupDetection<Binding extends SerialBinding>(binding: Binding): Binding {
  return {
    ...binding,
    open: async (options: object) => {
      const port = await binding.open(options);
      if (isUnixSerialPortBinding(port)) {
        port.read = (buffer, offset, length) => readUntilDataOrHangup(port, buffer, offset, length);
      }
      return port;
    },
  };
}
