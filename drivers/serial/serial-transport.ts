/**
 * A serial port as drivers need it: open a path at a baud rate (8N1), receive data, write, close,
 * and learn when the device goes away. serialport is imported only when a port is first opened, so
 * a machine whose native binding cannot load loses serial readers, never the app.
 */
import { withHangupDetection, type SerialBinding } from './tty-hangup.ts';

export interface SerialTransport {
  readonly path: string;
  /** Resolves once the bytes are handed to the OS (drained); rejects when the port is closed. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes the port; safe to call twice. `onClose` listeners are not called for this close. */
  close(): Promise<void>;
  /** Returns the unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** The port closed without `close()`: unplugged, or a read/write error. Called once. */
  onClose(listener: (reason: string) => void): () => void;
}

export interface SerialOpenOptions {
  path: string;
  baudRate: number;
}

export type OpenSerialTransport = (options: SerialOpenOptions) => Promise<SerialTransport>;

/** The serialport package (or its native binding) cannot be loaded on this machine. */
export class SerialDriverUnavailableError extends Error {
  readonly code = 'DRIVER_UNAVAILABLE';

  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    super(
      `Serial readers are unavailable: the serialport package's native binding could not be loaded (${detail}). ` +
        'Reinstall Box Office; when running from source, run `npm ci` so @serialport/bindings-cpp installs its prebuilt binary for this platform.',
    );
    this.name = 'SerialDriverUnavailableError';
  }
}

/** The device could not be opened (missing path, permission, busy); worth retrying later. */
export class SerialOpenError extends Error {
  readonly code: string;

  constructor(path: string, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const permission = /EACCES|permission denied/i.test(message);
    super(
      permission
        ? `Cannot open ${path}: permission denied (on Linux, add the user to the dialout or uucp group and log in again)`
        : `Cannot open ${path}: ${message.replace(/^Error:\s*/, '')}`,
    );
    this.name = 'SerialOpenError';
    this.code = permission ? 'PERMISSION_DENIED' : 'OPEN_FAILED';
  }
}

/** What the driver needs from serialport's SerialPort class (kept small so tests can stand in). */
interface SerialPortLike {
  open(callback: (error: Error | null) => void): void;
  write(data: Uint8Array, callback: (error: Error | null | undefined) => void): boolean;
  drain(callback: (error: Error | null) => void): void;
  close(callback: (error: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: (error?: Error | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly isOpen: boolean;
}

interface SerialPortConstructor {
  new (options: { path: string; baudRate: number; dataBits: 8; stopBits: 1; parity: 'none'; autoOpen: false; binding: SerialBinding }): SerialPortLike;
  /** The platform's binding serialport picked (LinuxBinding, DarwinBinding, WindowsBinding). */
  readonly binding: SerialBinding;
}

export type LoadSerialPort = () => Promise<SerialPortConstructor>;

export const loadSerialPortPackage: LoadSerialPort = async () => {
  const module = await import('serialport');
  return module.SerialPort as unknown as SerialPortConstructor;
};

/**
 * Opens `path` at `baudRate`, 8N1. Rejects with SerialDriverUnavailableError when serialport cannot
 * load (not worth retrying) and SerialOpenError when this device cannot be opened now.
 */
export async function openSerialTransport(options: SerialOpenOptions, load: LoadSerialPort = loadSerialPortPackage): Promise<SerialTransport> {
  let SerialPort: SerialPortConstructor;
  try {
    // Node caches the module after the first import, so this costs nothing on reconnects.
    SerialPort = await load();
  } catch (error) {
    throw new SerialDriverUnavailableError(error);
  }

  let port: SerialPortLike;
  try {
    port = new SerialPort({
      path: options.path,
      baudRate: options.baudRate,
      dataBits: 8,
      stopBits: 1,
      parity: 'none',
      autoOpen: false,
      // An unplug must be reported whenever it happens, not only when it finds the read idle (tty-hangup.ts).
      binding: withHangupDetection(SerialPort.binding),
    });
  } catch (error) {
    throw new SerialOpenError(options.path, error);
  }
  await new Promise<void>((resolve, reject) => {
    port.open((error) => (error ? reject(new SerialOpenError(options.path, error)) : resolve()));
  });

  const dataListeners = new Set<(chunk: Uint8Array) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  // serialport queues a write or drain issued on a closed port until the port opens again, which it
  // never does here: a write racing an unplug would hang its caller. Closing settles them instead.
  const pendingWrites = new Set<(error: Error) => void>();
  let closing = false;
  let closed = false;

  const failPendingWrites = () => {
    for (const fail of [...pendingWrites]) fail(new Error(`${options.path} is closed`));
  };

  const lost = (reason: string) => {
    if (closed) return;
    closed = true;
    failPendingWrites();
    if (closing) return;
    for (const listener of [...closeListeners]) listener(reason);
  };

  port.on('data', (chunk) => {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    for (const listener of [...dataListeners]) listener(bytes);
  });
  port.on('close', (error) => lost(error ? `${options.path} closed: ${error.message}` : `${options.path} closed`));
  port.on('error', (error) => {
    lost(`${options.path}: ${error.message}`);
    if (port.isOpen) port.close(() => undefined);
  });

  return {
    path: options.path,
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (closed || closing) {
          reject(new Error(`${options.path} is closed`));
          return;
        }
        const settle = (error: Error | null | undefined) => {
          pendingWrites.delete(fail);
          if (error) reject(error);
          else resolve();
        };
        const fail = (error: Error) => settle(error);
        pendingWrites.add(fail);
        port.write(bytes, (error) => {
          if (error) settle(error);
        });
        port.drain((error) => settle(error));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        failPendingWrites();
        if (closed || !port.isOpen) {
          closed = true;
          resolve();
          return;
        }
        port.close(() => {
          closed = true;
          resolve();
        });
      }),
    onData(listener) {
      dataListeners.add(listener);
      return () => dataListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
}
