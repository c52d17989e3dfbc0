import type { BoxOfficeClient } from './operations.ts';

/**
 * How the renderer is connected to its host. Electron's bridge is in-process and always `online`;
 * the WebSocket client walks through the other states.
 */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'online' }
  /** The connection dropped (or never opened); the next attempt starts after `retryInMs`. */
  | { kind: 'offline'; attempt: number; retryInMs: number }
  /** The host refused the access token: retrying cannot help, the user needs the right address. */
  | { kind: 'forbidden'; message: string }
  | { kind: 'closed' };

export type ConnectionListener = (state: ConnectionState) => void;

/** A BoxOfficeClient that also tells the UI whether it can reach the host. */
export interface ConnectedClient extends BoxOfficeClient {
  connectionState(): ConnectionState;
  /** Returns the unsubscribe function. */
  onConnectionState(listener: ConnectionListener): () => void;
  /** Skips the backoff wait and tries to reconnect at once (no-op when online). */
  reconnectNow(): void;
}

export function describeConnection(state: ConnectionState): string {
  switch (state.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'online':
      return 'Connected';
    case 'offline':
      return `Host unreachable, retrying in ${Math.max(1, Math.round(state.retryInMs / 1000))} s`;
    case 'forbidden':
      return state.message;
    case 'closed':
      return 'Disconnected';
  }
}
