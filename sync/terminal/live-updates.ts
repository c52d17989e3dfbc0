import WebSocket from 'ws';
import { liveAnnouncementSchema, protocolHeader, protocolVersion, type LiveAnnouncement } from '../protocol.ts';
import { defaultBackoff, realTimers, retryDelayMs, type Backoff, type SyncTimers } from './sync-loop.ts';

/**
 * The terminal's end of GET /live (server/sync/live.ts): a WebSocket that hears which version a
 * scope reached after every push, so the sync worker pulls at once instead of at its next timer.
 * `ws` rather than Node's global WebSocket: it sets the device token on the upgrade request like
 * every other request (server/sync/live.ts expects it there), and the server's tests speak it too.
 *
 * A socket that closes (the server restarted, the network went) is opened again after a backoff
 * with full jitter, reset once a socket opens. Announcements that do not parse are ignored: the
 * next timer's pull finds what they meant.
 */

export interface LiveUpdatesOptions {
  serverUrl: string;
  token: string;
  onAnnouncement(announcement: LiveAnnouncement): void;
  /** The socket opened: the server answers again. */
  onOpen?(): void;
  timers?: SyncTimers;
  random?: () => number;
  backoff?: Backoff;
}

export interface LiveUpdates {
  /** Whether the socket is open now. */
  readonly open: boolean;
  close(): Promise<void>;
}

/** ws://host:port/live for http://host:port (wss for https). */
export function liveUrl(serverUrl: string): string {
  return `${serverUrl.replace(/^http/, 'ws')}/live`;
}

export function followLiveUpdates(options: LiveUpdatesOptions): LiveUpdates {
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  let socket: WebSocket | null = null;
  let open = false;
  let failures = 0;
  let retry: unknown = null;
  let closed = false;

  function connect(): void {
    retry = null;
    const current = new WebSocket(liveUrl(options.serverUrl), {
      headers: { authorization: `Bearer ${options.token}`, [protocolHeader]: String(protocolVersion) },
    });
    socket = current;
    current.on('open', () => {
      open = true;
      failures = 0;
      options.onOpen?.();
    });
    current.on('message', (data) => {
      const announcement = liveAnnouncementSchema.safeParse(parsedJson(String(data)));
      if (announcement.success) options.onAnnouncement(announcement.data);
    });
    // A refused upgrade (401, 426) or connection: the close that follows schedules the next try,
    // and the sync itself reports why to staff.
    current.on('error', () => undefined);
    current.on('close', () => {
      open = false;
      if (socket !== current || closed) return;
      socket = null;
      failures += 1;
      retry = timers.setTimeout(connect, retryDelayMs(failures, random, options.backoff ?? defaultBackoff));
    });
  }

  connect();
  return {
    get open() {
      return open;
    },
    async close() {
      closed = true;
      if (retry !== null) timers.clearTimeout(retry);
      const current = socket;
      socket = null;
      if (!current || current.readyState === WebSocket.CLOSED) return;
      const ended = new Promise<void>((resolve) => current.once('close', () => resolve()));
      current.terminate();
      await ended;
    },
  };
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
