import { z } from 'zod';
import { systemClock, type Clock } from '../../core/clock.ts';
import { serverOffset } from '../../core/terminal/hlc.ts';
import { parseInput } from '../../core/validation.ts';
import { serverUrlSchema } from '../server-address.ts';
import {
  checkResponseSchema,
  enrolResponseSchema,
  errorResponseSchema,
  protocolHeader,
  protocolVersion,
  pullResponseSchema,
  pushResponseSchema,
  snapshotPageShape,
  type CheckRequest,
  type CheckResponse,
  type EnrolRequest,
  type EnrolResponse,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type ReceivedSnapshotPage,
  type SnapshotRequest,
} from '../protocol.ts';

/**
 * The terminal's HTTP client for the sync protocol (sync/protocol.ts, DESIGN.md section 6): one
 * method per route, every request in this build's protocol version and with the device's token,
 * every answer validated before the terminal believes it. What goes wrong comes back as one of the
 * typed errors below, worded for the person at the terminal. Pull, snapshot and check answers come
 * compressed with zstd, or gzip from a server that has no zstd (fetch inflates both, on libuv's pool).
 */

export { serverUrlSchema };

/** Anything the sync client reports: the message is what the person at the terminal reads. */
export class SyncError extends Error {
  override name = 'SyncError';
}

/** No answer at all: the server is down, the address is wrong or the network is out. Nothing was sent or lost. */
export class ServerUnreachable extends SyncError {
  override name = 'ServerUnreachable';
}

/** 401: the server does not take this terminal's token (revoked by an administrator, or unknown). */
export class DeviceRefused extends SyncError {
  override name = 'DeviceRefused';
  /** The server's code: `revoked`, `unauthenticated`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** 426: this terminal speaks a protocol the server no longer answers. */
export class UpgradeRequired extends SyncError {
  override name = 'UpgradeRequired';
}

/** Any other refusal (a 4xx or 5xx): the server's own message, its code and the field it names. */
export class ServerRefused extends SyncError {
  override name = 'ServerRefused';
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** A 2xx whose body is not what the protocol says: a proxy in the way, or a server of another build. */
export class UnexpectedAnswer extends SyncError {
  override name = 'UnexpectedAnswer';
}

export interface SyncClientOptions {
  serverUrl: string;
  /** The device token enrolment gave; absent only for enrolment itself. */
  token?: string | null;
  /** The terminal's clock, read around each request to measure the offset to the server's. */
  clock?: Clock;
  /** Told the offset (server minus terminal, ms) measured from each answer's serverTime. */
  onServerOffset?: (offsetMs: number) => void;
  /**
   * Longest wait for an answer. A push that timed out may have been applied all the same: sending
   * it again is harmless, the server answers its stored receipts.
   */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const defaultTimeoutMs = 30_000;

export class SyncClient {
  readonly serverUrl: string;
  readonly #token: string | null;
  readonly #clock: Clock;
  readonly #onServerOffset: ((offsetMs: number) => void) | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: SyncClientOptions) {
    this.serverUrl = parseInput(z.object({ serverUrl: serverUrlSchema }), { serverUrl: options.serverUrl }).serverUrl;
    this.#token = options.token ?? null;
    this.#clock = options.clock ?? systemClock;
    this.#onServerOffset = options.onServerOffset;
    this.#timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.#fetch = options.fetch ?? fetch;
  }

  /** POST /enrol: trades a one-time code for this terminal's token, short code and role. */
  enrol(request: EnrolRequest): Promise<EnrolResponse> {
    return this.#post('/enrol', request, enrolResponseSchema);
  }

  /** POST /push: the envelopes in seq order; the answer holds one receipt per envelope taken. */
  push(request: PushRequest): Promise<PushResponse> {
    return this.#post('/push', request, pushResponseSchema);
  }

  /** POST /pull: rows changed after the cursors, whole versions, one page. */
  pull(request: PullRequest): Promise<PullResponse> {
    return this.#post('/pull', request, pullResponseSchema);
  }

  /** GET /snapshot: one page of a first load; the first request names only the scope. Its rows are the loader's to check. */
  snapshot(request: SnapshotRequest): Promise<ReceivedSnapshotPage> {
    const query = new URLSearchParams({ scope: request.scope });
    if (request.version !== undefined) query.set('version', String(request.version));
    if (request.table !== undefined) query.set('table', request.table);
    if (request.after !== undefined) query.set('after', request.after);
    return this.#request('GET', `/snapshot?${query.toString()}`, undefined, snapshotPageShape);
  }

  /** POST /check: per table the terminal receives, the server's row count and digest up to the cursors. */
  check(request: CheckRequest): Promise<CheckResponse> {
    return this.#post('/check', request, checkResponseSchema);
  }

  #post<S extends z.ZodType<{ serverTime: string }>>(path: string, body: unknown, schema: S): Promise<z.output<S>> {
    return this.#request('POST', path, body, schema);
  }

  async #request<S extends z.ZodType<{ serverTime: string }>>(method: 'GET' | 'POST', path: string, body: unknown, schema: S): Promise<z.output<S>> {
    const url = `${this.serverUrl}${path}`;
    const headers: Record<string, string> = { [protocolHeader]: String(protocolVersion), 'accept-encoding': 'zstd, gzip' };
    if (method === 'POST') headers['content-type'] = 'application/json';
    if (this.#token !== null) headers.authorization = `Bearer ${this.#token}`;
    const sentAt = this.#clock.now().getTime();
    let response: Response;
    let text: string;
    try {
      const init: RequestInit = { method, headers, signal: AbortSignal.timeout(this.#timeoutMs) };
      if (method === 'POST') init.body = JSON.stringify(body);
      response = await this.#fetch(url, init);
      text = await response.text();
    } catch (error) {
      throw new ServerUnreachable(`Cannot reach the server at ${this.serverUrl} (${reasonOf(error, this.#timeoutMs)})`, { cause: error });
    }
    const receivedAt = this.#clock.now().getTime();
    const json = parsedJson(text);
    if (!response.ok) throw refusalOf(response.status, json, text, this.serverUrl);
    const answer = schema.safeParse(json);
    if (!answer.success) {
      const issue = answer.error.issues[0]!;
      const where = issue.path.length > 0 ? ` (${issue.path.join('.')}: ${issue.message})` : '';
      throw new UnexpectedAnswer(`The server at ${this.serverUrl} answered ${path.split('?')[0]} with something this terminal does not understand${where}: is it a Box Office server?`);
    }
    this.#onServerOffset?.(serverOffset(Date.parse(answer.data.serverTime), sentAt, receivedAt));
    return answer.data;
  }
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function refusalOf(status: number, json: unknown, text: string, serverUrl: string): SyncError {
  const body = errorResponseSchema.safeParse(json);
  if (!body.success) {
    const excerpt = text.trim().slice(0, 120);
    return new ServerRefused(status, 'http_error', `The server at ${serverUrl} answered HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`);
  }
  const { code, message, field } = body.data.error;
  if (status === 401) return new DeviceRefused(code, message);
  if (status === 426) return new UpgradeRequired(message);
  return new ServerRefused(status, code, message, field);
}

/** Why fetch failed, in a few words: Node's fetch says only "fetch failed" and puts the reason in its cause. */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code === 'ECONNREFUSED') return 'connection refused: is the server running?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name is not known: check the address';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the network does not reach it';
  if (code !== undefined) return code;
  return typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
}
