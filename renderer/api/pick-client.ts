import type { ConnectedClient } from './connection.ts';
import { createElectronClient } from './electron-client.ts';
import type { BoxOfficeClient } from './operations.ts';
import { apiSocketUrl, createWebSocketClient } from './websocket-client.ts';

export interface PageEnvironment {
  bridge: BoxOfficeClient | undefined;
  href: string;
}

/**
 * Inside Electron the preload bridge is there; in a browser the page was opened from the web host
 * as `http://127.0.0.1:PORT/?token=…` and the API is the WebSocket on the same host.
 */
export function pickClient(environment: PageEnvironment = { bridge: window.boxOffice, href: window.location.href }): ConnectedClient {
  if (environment.bridge) return createElectronClient(environment.bridge);
  return createWebSocketClient({ url: apiSocketUrl(environment.href) });
}
