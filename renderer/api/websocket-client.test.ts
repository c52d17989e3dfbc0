import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from './connection.ts';
import { apiSocketUrl, createWebSocketClient, wrongTokenCloseCode, type SocketHandlers } from './websocket-client.ts';

/** Stands in for the browser WebSocket; the test plays the web host. */
class FakeSockets {
  opened: { url: string; handlers: SocketHandlers; sent: string[]; closed: boolean }[] = [];
  open = (url: string, handlers: SocketHandlers) => {
    const socket = { url, handlers, sent: [] as string[], closed: false };
    this.opened.push(socket);
    return { send: (text: string) => socket.sent.push(text), close: () => (socket.closed = true) };
  };
  get last() {
    const socket = this.opened.at(-1);
    if (!socket) throw new Error('no socket opened');
    return socket;
  }
  requests() {
    return this.last.sent.map((text) => JSON.parse(text) as { id: number; op: string; input: unknown });
  }
  reply(id: number, result: unknown) {
    this.last.handlers.message(JSON.stringify({ type: 'response', id, result }));
  }
}

function setup() {
  const sockets = new FakeSockets();
  const client = createWebSocketClient({ url: 'ws://127.0.0.1:9/api?token=t', openSocket: sockets.open, initialRetryMs: 100, maxRetryMs: 1000, queueTimeoutMs: 5000 });
  const states: ConnectionState['kind'][] = [];
  client.onConnectionState((state) => states.push(state.kind));
  return { sockets, client, states };
}

describe('WebSocket client', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends numbered requests and matches each answer to its call, in any order', async () => {
    const { sockets, client } = setup();
    sockets.last.handlers.open();
    const first = client.invoke('events.list', {});
    const second = client.invoke('labels.list', {});
    const [a, b] = sockets.requests();
    expect(a).toEqual({ id: 1, op: 'events.list', input: {} });
    expect(b).toEqual({ id: 2, op: 'labels.list', input: {} });
    sockets.reply(2, { ok: true, value: { labels: [] } });
    sockets.reply(1, { ok: false, error: { code: 'INTERNAL', message: 'boom' } });
    expect(await second).toEqual({ ok: true, value: { labels: [] } });
    expect(await first).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('holds calls made while connecting and sends them once open', async () => {
    const { sockets, client, states } = setup();
    const call = client.invoke('events.list', {});
    expect(sockets.last.sent).toEqual([]);
    sockets.last.handlers.open();
    expect(sockets.requests()).toEqual([{ id: 1, op: 'events.list', input: {} }]);
    sockets.reply(1, { ok: true, value: { events: [] } });
    expect(await call).toEqual({ ok: true, value: { events: [] } });
    expect(client.connectionState().kind).toBe('online');
    expect(states).toEqual(['online']);
  });

  it('a call waiting too long for the connection fails as UNAVAILABLE, never sent later', async () => {
    const { sockets, client } = setup();
    const call = client.invoke('events.list', {});
    await vi.advanceTimersByTimeAsync(5000);
    const result = await call;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('UNAVAILABLE');
    sockets.last.handlers.open();
    expect(sockets.last.sent).toEqual([]);
  });

  it('after a drop, fails calls in flight and reconnects with growing delays', async () => {
    const { sockets, client, states } = setup();
    sockets.last.handlers.open();
    const inFlight = client.invoke('tickets.setBanned', { ticketId: 't-1', banned: true });
    sockets.last.handlers.close(1006);
    const result = await inFlight;
    expect(!result.ok && result.error.code).toBe('UNAVAILABLE');
    expect(client.connectionState()).toEqual({ kind: 'offline', attempt: 1, retryInMs: 100 });
    expect(sockets.opened).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets.opened).toHaveLength(2);
    sockets.last.handlers.close(1006);
    expect(client.connectionState()).toEqual({ kind: 'offline', attempt: 2, retryInMs: 200 });
    await vi.advanceTimersByTimeAsync(200);
    sockets.last.handlers.close(1006);
    await vi.advanceTimersByTimeAsync(400);
    sockets.last.handlers.close(1006);
    await vi.advanceTimersByTimeAsync(800);
    sockets.last.handlers.close(1006);
    expect(client.connectionState()).toEqual({ kind: 'offline', attempt: 5, retryInMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    sockets.last.handlers.open();
    expect(client.connectionState().kind).toBe('online');
    // Once back, the backoff starts again from the shortest delay.
    sockets.last.handlers.close(1006);
    expect(client.connectionState()).toEqual({ kind: 'offline', attempt: 1, retryInMs: 100 });
    expect(states.slice(0, 3)).toEqual(['online', 'offline', 'connecting']);
  });

  it('reconnectNow skips the wait', async () => {
    const { sockets, client } = setup();
    sockets.last.handlers.close(1006);
    client.reconnectNow();
    expect(sockets.opened).toHaveLength(2);
    expect(client.connectionState().kind).toBe('connecting');
  });

  it('a refused token stops reconnecting and every call fails with the host message', async () => {
    const { sockets, client } = setup();
    const queued = client.invoke('events.list', {});
    sockets.last.handlers.open();
    sockets.last.handlers.message(JSON.stringify({ type: 'error', error: { code: 'FORBIDDEN', message: 'Wrong or missing access token: open the address printed by `box-office serve`' } }));
    sockets.last.handlers.close(wrongTokenCloseCode);
    expect(client.connectionState()).toEqual({ kind: 'forbidden', message: 'Wrong or missing access token: open the address printed by `box-office serve`' });
    const result = await queued;
    expect(!result.ok && result.error).toEqual({ code: 'FORBIDDEN', message: 'Wrong or missing access token: open the address printed by `box-office serve`' });
    const later = await client.invoke('events.list', {});
    expect(!later.ok && later.error.code).toBe('FORBIDDEN');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets.opened).toHaveLength(1);
  });

  it('close code 4401 alone also means a wrong token', () => {
    const { sockets, client } = setup();
    sockets.last.handlers.close(wrongTokenCloseCode);
    expect(client.connectionState().kind).toBe('forbidden');
  });

  it('delivers host events to subscribers until they unsubscribe, and ignores junk', () => {
    const { sockets, client } = setup();
    sockets.last.handlers.open();
    const seen: unknown[] = [];
    const unsubscribe = client.subscribe((event) => seen.push(event));
    const event = { type: 'import.progress', jobId: 'j', rowsRead: 1, imported: 1, updated: 0, unchanged: 0, rejected: 0, bytesRead: 1, bytesTotal: 2, done: false };
    sockets.last.handlers.message(JSON.stringify({ type: 'event', event }));
    sockets.last.handlers.message('not json');
    sockets.last.handlers.message(JSON.stringify({ type: 'response', id: 99, result: { ok: true, value: 1 } }));
    unsubscribe();
    sockets.last.handlers.message(JSON.stringify({ type: 'event', event }));
    expect(seen).toEqual([event]);
  });

  it('an answer that is not a result becomes an INTERNAL error, not a crash', async () => {
    const { sockets, client } = setup();
    sockets.last.handlers.open();
    const call = client.invoke('events.list', {});
    sockets.reply(1, { weird: true });
    const result = await call;
    expect(!result.ok && result.error.code).toBe('INTERNAL');
  });

  it('close() ends the connection and fails what is pending', async () => {
    const { sockets, client } = setup();
    const queued = client.invoke('events.list', {});
    client.close();
    expect(sockets.last.closed).toBe(true);
    expect((await queued).ok).toBe(false);
    expect(client.connectionState().kind).toBe('closed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets.opened).toHaveLength(1);
  });
});

describe('apiSocketUrl', () => {
  it('points at /api on the page host with the page token', () => {
    expect(apiSocketUrl('http://127.0.0.1:4870/?token=abc#/customers/c-1')).toBe('ws://127.0.0.1:4870/api?token=abc');
    expect(apiSocketUrl('https://box.example/?token=a%2Bb')).toBe('wss://box.example/api?token=a%2Bb');
    expect(apiSocketUrl('http://localhost:5000/')).toBe('ws://localhost:5000/api?token=');
  });
});
