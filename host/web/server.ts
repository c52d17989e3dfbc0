import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BoxOfficeCore, CoreSession } from '../../core/api/core.ts';
import type { CoreEvent } from '../../core/api/pubsub.ts';
import { invokeRemote, remoteRequestSchema } from '../remote-call.ts';
import { serveStaticFile } from './static-files.ts';

export interface WebHostOptions {
  core: BoxOfficeCore;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one is made per start otherwise. */
  token?: string;
  /** Largest WebSocket message accepted; larger ones close the connection (code 1009). */
  maxMessageBytes?: number;
  /** Requests one connection may make: a burst of `burst`, refilled at `perSecond`. */
  rateLimit?: { burst: number; perSecond: number };
}

/**
 * 1 MiB: the largest real call is an import.upload chunk (160 Ki characters, under 1 MiB even if
 * every one is JSON-escaped); files travel in chunks. ws parses a message on the thread that
 * decides scans, so a 64 MiB message (the former cap) stalled check-in for its whole parse.
 */
export const defaultMaxMessageBytes = 1024 * 1024;

/**
 * Per connection: bursts of 300 requests, 150 a second sustained. A fast barcode scanner sends
 * ~10 scans a second and typing a search a few calls per keystroke; uploading a 64 MB file is
 * ~420 chunk calls sent one after the other. A runaway page or script is answered UNAVAILABLE
 * beyond that, and the connection (and other windows' scans) keep working.
 */
export const defaultRateLimit = { burst: 300, perSecond: 150 };

/** A token bucket: `take()` is false once the burst is spent, until time refills it. */
export function tokenBucket(limit: { burst: number; perSecond: number }, now: () => number = () => performance.now()) {
  let tokens = limit.burst;
  let last = now();
  return {
    take(): boolean {
      const at = now();
      tokens = Math.min(limit.burst, tokens + ((at - last) / 1000) * limit.perSecond);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Closing codes the renderer's client understands. */
export const closeCodes = { wrongToken: 4401 } as const;

/** What a page with a stale or mistyped address sees; it names both ways Box Office is started. */
export const wrongTokenMessage =
  'Wrong or missing access token: open the address printed where Box Office was started (`npm start` or `box-office serve`).';

export const apiPath = '/api';

const securityHeaders = (port: number) => ({
  'content-security-policy': [
    "default-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "media-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
});

function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/**
 * DNS-rebinding defence: a page on another site that makes its name resolve to 127.0.0.1 still
 * sends its own name in Host, and a cross-site WebSocket sends its own Origin.
 */
export function isAllowedRequest(headers: IncomingMessage['headers'], port: number): { ok: true } | { ok: false; reason: string } {
  const hosts = allowedHosts(port);
  if (!headers.host || !hosts.has(headers.host)) return { ok: false, reason: `Host ${headers.host ?? '(none)'} is not allowed` };
  const origin = headers.origin;
  if (origin !== undefined) {
    let originHost: string;
    try {
      const parsed = new URL(origin);
      originHost = parsed.protocol === 'http:' ? parsed.host : '';
    } catch {
      originHost = '';
    }
    if (!hosts.has(originHost)) return { ok: false, reason: `Origin ${origin} is not allowed` };
  }
  return { ok: true };
}

export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The web host: the same UI and core as the desktop app, for a browser on this machine (development,
 * end-to-end tests, kiosk tablets through a local proxy). Binds to 127.0.0.1 only; every API call
 * needs the per-start token printed in the URL.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = options.port ?? 0;
  const sockets = new Set<WebSocket>();

  const server = createServer((request, response: ServerResponse) => {
    const allowed = isAllowedRequest(request.headers, port);
    for (const [name, value] of Object.entries(securityHeaders(port))) response.setHeader(name, value);
    if (!allowed.ok) {
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(allowed.reason);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (url.pathname === `${apiPath}/session`) {
      // Lets the page tell a wrong token from a stopped server before opening the socket.
      const valid = tokensMatch(token, url.searchParams.get('token'));
      response
        .writeHead(valid ? 200 : 401, { 'content-type': 'application/json' })
        .end(JSON.stringify(valid ? { ok: true } : { ok: false, error: { code: 'FORBIDDEN', message: wrongTokenMessage } }));
      return;
    }
    serveStaticFile(options.staticDir, url.pathname, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? defaultMaxMessageBytes });
  const rateLimit = options.rateLimit ?? defaultRateLimit;

  server.on('upgrade', (request, socket, head) => {
    const allowed = isAllowedRequest(request.headers, port);
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    if (!allowed.ok || url.pathname !== apiPath) {
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n${allowed.ok ? 'Not an API path' : allowed.reason}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (!tokensMatch(token, url.searchParams.get('token'))) {
        // Accept, explain, close: a browser cannot read an HTTP error on a refused upgrade.
        ws.send(JSON.stringify({ type: 'error', error: { code: 'FORBIDDEN', message: wrongTokenMessage } }));
        ws.close(closeCodes.wrongToken, 'wrong token');
        return;
      }
      sockets.add(ws);
      // Each connection signs in for itself (DESIGN.md section 6a): its own core session.
      const session = options.core.openSession();
      ws.on('close', () => sockets.delete(ws));
      // A message over maxPayload (or a broken frame) makes ws close the connection with 1009 /
      // 1002 and emit 'error'; unhandled, that error would end the whole host, scans included.
      ws.on('error', () => ws.terminate());
      const bucket = tokenBucket(rateLimit);
      ws.on('message', (data, isBinary) => {
        if (!bucket.take()) {
          refuseOverLimit(ws, isBinary ? null : data.toString());
          return;
        }
        void answer(ws, session, isBinary ? null : data.toString());
      });
    });
  });

  /** Answers the request's id (when it has one) without running it. */
  function refuseOverLimit(ws: WebSocket, text: string | null): void {
    let id: unknown = null;
    try {
      const parsed: unknown = text === null ? undefined : JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && 'id' in parsed) id = parsed.id;
    } catch {
      id = null;
    }
    const message = 'Too many requests from this window at once: nothing was done. Wait a moment and try again.';
    ws.send(JSON.stringify({ type: 'response', id, result: { ok: false, error: { code: 'UNAVAILABLE', message } } }));
  }

  async function answer(ws: WebSocket, session: CoreSession, text: string | null): Promise<void> {
    let parsedJson: unknown;
    try {
      parsedJson = text === null ? undefined : JSON.parse(text);
    } catch {
      parsedJson = undefined;
    }
    const request = remoteRequestSchema.safeParse(parsedJson);
    if (!request.success) {
      ws.send(JSON.stringify({
        type: 'response',
        id: null,
        result: { ok: false, error: { code: 'VALIDATION', message: 'A request must be JSON {id, op, input}' } },
      }));
      return;
    }
    const result = await invokeRemote(session, request.data.op, request.data.input);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'response', id: request.data.id, result }));
  }

  const unsubscribe = options.core.subscribe((event: CoreEvent) => {
    const message = JSON.stringify({ type: 'event', event });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
