import type { ConnectedClient, ConnectionState } from './connection.ts';
import type { BoxOfficeClient } from './operations.ts';

declare global {
  interface Window {
    /** Exposed by electron/preload.ts; absent in a plain browser. */
    boxOffice?: BoxOfficeClient;
  }
}

const online: ConnectionState = { kind: 'online' };

/** The Electron preload bridge: the core runs in the same app, so the host is always reachable. */
export function createElectronClient(bridge: BoxOfficeClient): ConnectedClient {
  return {
    invoke: (name, input) => bridge.invoke(name, input),
    subscribe: (listener) => bridge.subscribe(listener),
    connectionState: () => online,
    onConnectionState: () => () => undefined,
    reconnectNow: () => undefined,
  };
}
