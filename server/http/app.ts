import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import { parseInput } from '../../core/validation.ts';
import {
  enrolRequestSchema,
  maxPushCommands,
  maxRequestBytes,
  oldestProtocolVersion,
  protocolHeader,
  protocolVersion,
  pushRequestSchema,
} from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import { enrolDevice, type Device } from '../devices/enrolment.ts';
import { inProcessAnnouncer, type VersionAnnouncer } from '../sync/live.ts';
import { pushEnvelopes, type PushOutcome } from '../sync/push.ts';
import { adminRoutes } from './admin.routes.ts';
import { authenticate } from './authenticate.ts';
import { errorBody, HttpError } from './http-error.ts';
import { syncRoutes } from './sync.routes.ts';

/**
 * The central server's HTTP API (DESIGN.md section 6): enrolment, push, pull, snapshot, live.
 * Every route but /health speaks a protocol version (`Box-Office-Protocol`); every route but
 * /health and /enrol is the device's, authenticated by its token. Errors are one JSON shape with a
 * code and a message, never a stack trace: ours, Fastify's own (bad JSON, a body too large, an
 * unknown route) and a socket's that is not HTTP at all.
 */

export interface ServerAppOptions {
  db: ServerDatabase;
  clock: Clock;
  logger: FastifyBaseLogger;
  /**
   * Told after a push committed which scopes moved to which version, it tells the live sockets of
   * every server process (server/sync/live.ts). In-process by default; the app closes it.
   */
  announcer?: VersionAnnouncer;
  /** What one request and one device may ask (`serverLimitsSchema`); unset fields keep their default. */
  limits?: ServerLimitsInput;
  /** The protocol versions answered; sync/protocol.ts's range unless a test needs another. */
  protocolVersions?: ProtocolVersions;
  /** The token of the /admin routes (admin.routes.ts); without one they answer nobody. */
  adminToken?: string;
}

const rateSchema = z.object({
  max: z.number().int().positive(),
  windowMs: z.number().int().positive(),
});

/**
 * The server's limits. Each refusal is an error naming the limit and what to do, never a
 * dropped connection. Request counts are kept per server process: with several processes on one
 * PostgreSQL, a device may reach each process's limit.
 */
export const serverLimitsSchema = z.object({
  /** Bytes per request body (413 beyond): the protocol's 1 MiB, which the terminal batches to. */
  requestBytes: z.number().int().positive().default(maxRequestBytes),
  /**
   * Commands per push (413 beyond, telling the terminal to split). At most the protocol's 500,
   * which the push schema enforces whatever is set here.
   */
  pushCommands: z
    .number()
    .int()
    .positive()
    .max(maxPushCommands, `A push may hold at most the protocol's ${maxPushCommands} commands`)
    .default(maxPushCommands),
  /**
   * Requests per device per window (429 with Retry-After beyond); a request no device token
   * authenticates (/health, /enrol) counts against its address. A terminal's sync worker sends
   * one request at a time and waits for its answer, so 100 a second is far above its pace while
   * a runaway loop meets the limit within its first second.
   */
  deviceRequests: rateSchema.default({ max: 100, windowMs: 1000 }),
  /**
   * Enrolment attempts per address per window, right or wrong (429 beyond). A code is 60 random
   * bits that expire within a day: at 60 guesses a minute, finding one of 100 live codes takes
   * about 2^60 / 100 / 86,400 days, over 300 million years. The limit keeps a guesser cheap to serve
   * while staff enrolling a room of terminals behind one address never meet it.
   */
  enrolmentAttempts: rateSchema.default({ max: 60, windowMs: 60_000 }),
});
export type ServerLimits = z.output<typeof serverLimitsSchema>;
export type ServerLimitsInput = z.input<typeof serverLimitsSchema>;

export const protocolVersionsSchema = z
  .object({ oldest: z.number().int().positive(), newest: z.number().int().positive() })
  .refine((range) => range.oldest <= range.newest, { message: 'The oldest protocol version comes before the newest', path: ['oldest'] });
export type ProtocolVersions = z.infer<typeof protocolVersionsSchema>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The protocol version this request speaks, negotiated (every route but /health). */
    protocolVersion: number;
  }
}

const statusOfCode: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

const internalMessage = 'The server failed to answer this request; it was logged. Try again';

export async function buildServerApp(options: ServerAppOptions): Promise<FastifyInstance> {
  const { db, clock } = options;
  const limits = parseInput(serverLimitsSchema, options.limits ?? {});
  const versions = parseInput(protocolVersionsSchema, options.protocolVersions ?? { oldest: oldestProtocolVersion, newest: protocolVersion });
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: limits.requestBytes,
    // A malformed URL (a bad %-escape in a route parameter) and a socket that does not speak
    // HTTP get the same error shape as everything else.
    frameworkErrors: (error, _request, reply) => {
      (reply as FastifyReply).status(error.statusCode ?? 400).send(errorBody('bad_request', error.message));
    },
    clientErrorHandler: answerClientError,
  });
  app.decorateRequest('device', null as unknown as Device);
  app.decorateRequest('protocolVersion', 0);
  const announcer = options.announcer ?? inProcessAnnouncer();
  app.addHook('onClose', () => announcer.close());
  // The protocol is JSON only: a text body is refused as such (415), not read as a JSON string.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error, request, reply) => {
    const refusal = refusalOf(error, limits);
    if (refusal) return reply.status(refusal.status).send(errorBody(refusal.code, refusal.message, refusal.field));
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody('internal', internalMessage));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('not_found', `No route ${request.method} ${request.url}`)));

  // Counted after `authenticate` (a route's onRequest) and before the body is read, so a device
  // over its limit costs no parsing; keyed by the device, not its address, so terminals behind
  // one router do not share a budget.
  await app.register(rateLimit, {
    global: true,
    hook: 'preParsing',
    max: limits.deviceRequests.max,
    timeWindow: limits.deviceRequests.windowMs,
    keyGenerator: (request) => {
      const device = request.device as Device | null;
      return device ? `device:${device.id}` : `address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', `This terminal sent more than ${context.max} requests in ${windowWords(limits.deviceRequests.windowMs)}: wait ${secondsWords(context.ttl)} and send again`),
  });
  const enrolmentRateLimit: RateLimitOptions = {
    max: limits.enrolmentAttempts.max,
    timeWindow: limits.enrolmentAttempts.windowMs,
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', `Too many enrolment attempts from this address: wait ${secondsWords(context.ttl)}, then type the code again`),
  };

  app.get('/health', async () => ({ ok: true, protocol: versions.newest, oldestProtocol: versions.oldest, serverTime: clock.now().toISOString() }));

  // Every other route: the protocol version, negotiated on each request and named in the answer.
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404 || request.routeOptions.url === '/health') return;
    request.protocolVersion = negotiatedVersion(request, versions);
    reply.header(protocolHeader, String(request.protocolVersion));
  });

  app.post('/enrol', { config: { rateLimit: enrolmentRateLimit } }, async (request) => {
    const body = parseInput(enrolRequestSchema, request.body);
    return enrolDevice(db, clock, body);
  });

  app.post('/push', { onRequest: authenticate(db) }, async (request) => {
    refuseOversizedBatch(request.body, limits.pushCommands);
    const body = parseInput(pushRequestSchema, request.body);
    const outcome: PushOutcome = await pushEnvelopes(db, clock, request.device, body.envelopes);
    if (Object.keys(outcome.versions).length > 0) await announcer.announce(outcome.versions);
    return outcome.response;
  });

  await app.register(syncRoutes, { db, clock, announcer });
  await app.register(adminRoutes, { db, clock, adminToken: options.adminToken });

  return app;
}

/**
 * The answer to an error a request caused: ours (HttpError), core's (DomainError), or Fastify's
 * own refusals in our words. Undefined for anything else: a fault of the server, answered 500.
 */
function refusalOf(thrown: unknown, limits: ServerLimits): HttpError | undefined {
  if (thrown instanceof HttpError) return thrown;
  if (thrown instanceof DomainError) return new HttpError(statusOfCode[thrown.code], thrown.code.toLowerCase(), thrown.message, thrown.field);
  if (!(thrown instanceof Error)) return undefined;
  const error: Partial<FastifyError> = thrown;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'too_large', `A request body holds at most ${limits.requestBytes} bytes: send fewer commands per push`);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpError(400, 'malformed_json', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(400, 'malformed_json', 'The request body is empty: send a JSON object');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json)');
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) return new HttpError(error.statusCode, 'bad_request', thrown.message);
  return undefined;
}

const batchShape = z.object({ envelopes: z.array(z.unknown()) });

/**
 * Too many commands in one push: 413 telling the terminal to split, before each envelope is
 * validated (a 400 would read as a bad command, and the terminal would not know to split).
 */
function refuseOversizedBatch(body: unknown, maxCommands: number): void {
  const batch = batchShape.safeParse(body);
  if (batch.success && batch.data.envelopes.length > maxCommands) {
    throw new HttpError(
      413,
      'too_many_commands',
      `A push holds at most ${maxCommands} commands and this one holds ${batch.data.envelopes.length}: split it into pushes of ${maxCommands} or fewer`,
      'envelopes',
    );
  }
}

/** The version this request speaks; too old a terminal gets 426 with what to do. */
function negotiatedVersion(request: FastifyRequest, versions: ProtocolVersions): number {
  const header = request.headers[protocolHeader];
  const spoken = Number(Array.isArray(header) ? header[0] : header);
  if (!Number.isInteger(spoken) || spoken < 0) {
    throw new HttpError(400, 'protocol_missing', `Every request names its protocol version in the ${protocolHeader} header (this server speaks ${versions.oldest} to ${versions.newest})`);
  }
  if (spoken < versions.oldest) {
    throw new HttpError(426, 'upgrade_required', `This terminal speaks sync protocol ${spoken}; this server needs ${versions.oldest} to ${versions.newest}. Update Box Office on this terminal, then sync again: nothing it holds is lost`);
  }
  if (spoken > versions.newest) {
    throw new HttpError(400, 'server_too_old', `This terminal speaks sync protocol ${spoken}; this server only ${versions.newest}. Update the Box Office server`);
  }
  return spoken;
}

/** "a second", "10 seconds", "a minute": a rate limit's window as the refusal says it. */
function windowWords(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? 'a minute' : `${ms / 60_000} minutes`;
  if (ms % 1000 === 0) return ms === 1000 ? 'a second' : `${ms / 1000} seconds`;
  return `${ms} ms`;
}

/** How long to wait, in whole seconds as Retry-After says it: "1 second", "42 seconds". */
function secondsWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/**
 * A connection that does not speak HTTP (or whose headers are too large): Node's parser refuses
 * it before Fastify sees a request, so the answer is written to the socket, in our shape.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'timeout', 'The request took too long to arrive']
        : [400, 'bad_request', 'The request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
