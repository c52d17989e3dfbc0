import type { ConnectedClient, ConnectionListener, ConnectionState } from './connection.ts';
import type { ApiError, BoxOfficeClient, CoreEvent, CoreEventListener, Result } from './operations.ts';

/** The close code the web host uses after refusing the access token (host/web/server.ts). */
export const wrongTokenCloseCode = 4401;

export interface SocketHandlers {
  open(): void;
  message(text: string): void;
  close(code: number): void;
}

/** The little of a WebSocket the client needs; tests pass a fake, browsers the real thing. */
export interface SocketHandle {
  send(text: string): void;
  close(): void;
}

export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketHandle;

export interface WebSocketClientOptions {
  url: string;
  openSocket?: OpenSocket;
  /** First reconnect delay; doubles after each failed attempt up to maxRetryMs. */
  initialRetryMs?: number;
  maxRetryMs?: number;
  /** How long a call made while disconnected waits for the connection before failing. */
  queueTimeoutMs?: number;
}

export const browserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => handlers.open();
  socket.onmessage = (event: MessageEvent) => handlers.message(typeof event.data === 'string' ? event.data : '');
  socket.onclose = (event: CloseEvent) => handlers.close(event.code);
  return {
    send: (text) => socket.send(text),
    close: () => socket.close(),
  };
};

interface Waiting {
  id: number;
  op: string;
  input: unknown;
  resolve(result: Result<unknown>): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const unavailable = (message: string): Result<never> => ({ ok: false, error: { code: 'UNAVAILABLE', message } });

const lostMessage =
  'The connection to Box Office dropped before it answered. Reload the card to check whether the change was saved before repeating it.';

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && typeof (value as ApiError).code === 'string' && typeof (value as ApiError).message === 'string';
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as { ok?: unknown; error?: unknown };
  return result.ok === true ? 'value' in result : result.ok === false && isApiError(result.error);
}

/**
 * BoxOfficeClient over the web host's WebSocket (`{id, op, input}` out, `{type:'response', id,
 * result}` and `{type:'event', event}` in). Calls made while disconnected wait for the connection
 * (up to queueTimeoutMs); calls already sent when the socket drops fail with UNAVAILABLE instead of
 * being re-sent, because the host may have applied them. A refused token stops reconnecting.
 */
export function createWebSocketClient(options: WebSocketClientOptions): ConnectedClient & { close(): void } {
  const openSocket = options.openSocket ?? browserSocket;
  const initialRetryMs = options.initialRetryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 15_000;
  const queueTimeoutMs = options.queueTimeoutMs ?? 15_000;

  let state: ConnectionState = { kind: 'connecting' };
  let socket: SocketHandle | undefined;
  // Callbacks of a socket that was replaced or closed by us are ignored.
  let activeHandlers: SocketHandlers | undefined;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  let refusal: string | undefined;
  const queued: Waiting[] = [];
  const inFlight = new Map<number, Waiting>();
  const eventListeners = new Set<CoreEventListener>();
  const stateListeners = new Set<ConnectionListener>();

  function setState(next: ConnectionState): void {
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function settle(waiting: Waiting, result: Result<unknown>): void {
    if (waiting.timer !== undefined) clearTimeout(waiting.timer);
    waiting.resolve(result);
  }

  function transmit(waiting: Waiting): boolean {
    if (!socket || state.kind !== 'online') return false;
    try {
      socket.send(JSON.stringify({ id: waiting.id, op: waiting.op, input: waiting.input }));
    } catch {
      return false;
    }
    if (waiting.timer !== undefined) clearTimeout(waiting.timer);
    waiting.timer = undefined;
    inFlight.set(waiting.id, waiting);
    return true;
  }

  function failEverything(result: Result<never>): void {
    for (const waiting of [...queued, ...inFlight.values()]) settle(waiting, result);
    queued.length = 0;
    inFlight.clear();
  }

  function connect(): void {
    retryTimer = undefined;
    if (state.kind === 'forbidden' || state.kind === 'closed') return;
    setState({ kind: 'connecting' });
    const handlers: SocketHandlers = {
      open() {
        if (activeHandlers !== handlers) return;
        attempt = 0;
        setState({ kind: 'online' });
        for (const waiting of queued.splice(0)) {
          if (!transmit(waiting)) queued.push(waiting);
        }
      },
      message(text) {
        if (activeHandlers !== handlers) return;
        receive(text);
      },
      close(code) {
        if (activeHandlers !== handlers) return;
        activeHandlers = undefined;
        socket = undefined;
        dropped(code);
      },
    };
    activeHandlers = handlers;
    try {
      socket = openSocket(options.url, handlers);
    } catch {
      activeHandlers = undefined;
      dropped(1006);
    }
  }

  function receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { type } = message as { type?: unknown };
    if (type === 'response') {
      const { id, result } = message as { id?: unknown; result?: unknown };
      const waiting = typeof id === 'number' ? inFlight.get(id) : undefined;
      if (!waiting) return;
      inFlight.delete(waiting.id);
      settle(waiting, isResult(result) ? result : { ok: false, error: { code: 'INTERNAL', message: 'Box Office sent an answer this screen cannot read.' } });
    } else if (type === 'event') {
      const { event } = message as { event?: unknown };
      if (typeof event === 'object' && event !== null) {
        for (const listener of eventListeners) listener(event as CoreEvent);
      }
    } else if (type === 'error') {
      const { error } = message as { error?: unknown };
      if (isApiError(error) && error.code === 'FORBIDDEN') refusal = error.message;
    }
  }

  function dropped(code: number): void {
    if (state.kind === 'closed') return;
    if (code === wrongTokenCloseCode || refusal !== undefined) {
      const message = refusal ?? 'Wrong or missing access token: open the address printed where Box Office was started (`npm start` or `box-office serve`).';
      setState({ kind: 'forbidden', message });
      failEverything({ ok: false, error: { code: 'FORBIDDEN', message } });
      return;
    }
    for (const waiting of inFlight.values()) settle(waiting, unavailable(lostMessage));
    inFlight.clear();
    const retryInMs = Math.min(maxRetryMs, initialRetryMs * 2 ** attempt);
    attempt += 1;
    setState({ kind: 'offline', attempt, retryInMs });
    retryTimer = setTimeout(connect, retryInMs);
  }

  const invoke = (op: string, input: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      if (state.kind === 'forbidden') {
        resolve({ ok: false, error: { code: 'FORBIDDEN', message: state.message } });
        return;
      }
      if (state.kind === 'closed') {
        resolve(unavailable('This window is no longer connected to Box Office.'));
        return;
      }
      const waiting: Waiting = { id: nextId++, op, input, resolve, timer: undefined };
      if (transmit(waiting)) return;
      waiting.timer = setTimeout(() => {
        const index = queued.indexOf(waiting);
        if (index >= 0) queued.splice(index, 1);
        resolve(unavailable('Box Office is not reachable right now; nothing was changed. Try again when the status shows Connected.'));
      }, queueTimeoutMs);
      queued.push(waiting);
    });

  connect();

  return {
    invoke: invoke as BoxOfficeClient['invoke'],
    subscribe(listener) {
      eventListeners.add(listener);
      return () => {
        eventListeners.delete(listener);
      };
    },
    connectionState: () => state,
    onConnectionState(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    reconnectNow() {
      if (state.kind !== 'offline') return;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      connect();
    },
    close() {
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      const open = socket;
      socket = undefined;
      activeHandlers = undefined;
      setState({ kind: 'closed' });
      failEverything(unavailable('This window is no longer connected to Box Office.'));
      open?.close();
    },
  };
}

/** `ws://host/api?token=…` for the page at `pageUrl` (http → ws, https → wss). */
export function apiSocketUrl(pageUrl: string): string {
  const page = new URL(pageUrl);
  const url = new URL('/api', page);
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.searchParams.set('token', page.searchParams.get('token') ?? '');
  return url.toString();
}
