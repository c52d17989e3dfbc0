import type { OpenSerialTransport, SerialTransport } from '../../serial/serial-transport.ts';
import { SerialOpenError } from '../../serial/serial-transport.ts';
import type { HidDeviceHandle, HidDeviceInfo, HidLibrary } from '../hid-library.ts';
import type { ReaderEvent } from '../../reader.ts';

/** A serial port a test plugs, unplugs and types into. */
export interface FakeSerialPort {
  open: OpenSerialTransport;
  plugged: boolean;
  opens: number;
  send(bytes: Uint8Array | string): void;
  unplug(reason?: string): void;
}

export function createFakeSerialPort(): FakeSerialPort {
  let current: { data: Set<(chunk: Uint8Array) => void>; close: Set<(reason: string) => void> } | undefined;
  const port: FakeSerialPort = {
    plugged: true,
    opens: 0,
    async open({ path }) {
      if (!port.plugged) throw new SerialOpenError(path, new Error('No such file or directory'));
      port.opens += 1;
      const listeners = { data: new Set<(chunk: Uint8Array) => void>(), close: new Set<(reason: string) => void>() };
      current = listeners;
      const transport: SerialTransport = {
        path,
        write: async () => undefined,
        close: async () => {
          if (current === listeners) current = undefined;
        },
        onData(listener) {
          listeners.data.add(listener);
          return () => listeners.data.delete(listener);
        },
        onClose(listener) {
          listeners.close.add(listener);
          return () => listeners.close.delete(listener);
        },
      };
      return transport;
    },
    send(bytes) {
      const chunk = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
      for (const listener of current?.data ?? []) listener(chunk);
    },
    unplug(reason = 'device unplugged') {
      port.plugged = false;
      const listeners = current;
      current = undefined;
      for (const listener of listeners?.close ?? []) listener(reason);
    },
  };
  return port;
}

type Listener = (value: never) => void;

/** node-hid as a test sees it: devices to list, and open devices that replay reports. */
export interface FakeHid {
  library: HidLibrary;
  devices: HidDeviceInfo[];
  featureReports: number[][];
  opened: string[];
  report(bytes: Uint8Array): void;
  unplug(): void;
}

export function createFakeHid(devices: HidDeviceInfo[]): FakeHid {
  let listeners: Map<string, Set<Listener>> | undefined;
  const fake: FakeHid = {
    devices,
    featureReports: [],
    opened: [],
    library: {
      devices: async () => fake.devices,
      async open(path) {
        if (!fake.devices.some((device) => device.path === path)) throw new Error(`could not open device ${path}`);
        fake.opened.push(path);
        const mine = new Map<string, Set<Listener>>();
        listeners = mine;
        const handle: HidDeviceHandle = {
          on(event: string, listener: Listener) {
            const set = mine.get(event) ?? new Set<Listener>();
            set.add(listener);
            mine.set(event, set);
            return handle;
          },
          removeAllListeners(event?: string) {
            if (event) mine.delete(event);
            else mine.clear();
            return handle;
          },
          async sendFeatureReport(data) {
            fake.featureReports.push(data);
            return data.length;
          },
          async close() {
            if (listeners === mine) listeners = undefined;
          },
        } as HidDeviceHandle;
        return handle;
      },
    },
    report(bytes) {
      for (const listener of listeners?.get('data') ?? []) (listener as (report: Uint8Array) => void)(bytes);
    },
    unplug() {
      const mine = listeners;
      fake.devices = [];
      for (const listener of mine?.get('error') ?? []) (listener as (error: unknown) => void)(new Error('could not read from HID device'));
    },
  };
  return fake;
}

/** Collects a reader's events, and waits for the next one of a type. */
export function eventLog() {
  const events: ReaderEvent[] = [];
  const waiters: { type: ReaderEvent['type']; resolve(event: ReaderEvent): void; from: number }[] = [];
  return {
    events,
    listener(event: ReaderEvent) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (event.type === waiter.type) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    },
    next<T extends ReaderEvent['type']>(type: T, timeoutMs = 5000): Promise<Extract<ReaderEvent, { type: T }>> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms; got ${JSON.stringify(events)}`)), timeoutMs);
        waiters.push({
          type,
          from: events.length,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event as Extract<ReaderEvent, { type: T }>);
          },
        });
      });
    },
    types: () => events.map((event) => event.type),
  };
}
