import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { DomainError, type ErrorCode } from '../../core/errors.ts';
import { parseInput } from '../../core/validation.ts';
import {
  enrolRequestSchema,
  maxRequestBytes,
  oldestProtocolVersion,
  protocolHeader,
  protocolVersion,
  pushRequestSchema,
  type ErrorResponse,
} from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import { deviceOfToken, enrolDevice, type Device } from '../devices/enrolment.ts';
import { pushEnvelopes, type PushOutcome } from '../sync/push.ts';
import { adminRoutes } from './admin.routes.ts';

/**
 * The central server's HTTP API (DESIGN.md section 6): enrolment, push, pull, snapshot, live.
 * Every route but /health speaks a protocol version (`Box-Office-Protocol`); every route but
 * /health and /enrol is the device's, authenticated by its token. Errors are one JSON shape with a
 * code and a message, never a stack trace.
 */

export interface ServerAppOptions {
  db: ServerDatabase;
  clock: Clock;
  logger: FastifyBaseLogger;
  /** Told after a push committed which scopes moved to which version (live announcements). */
  onVersions?: (versions: Record<string, number>) => void;
  /** The token of the /admin routes (admin.routes.ts); without one they answer nobody. */
  adminToken?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The device the request's token belongs to (routes behind `authenticate`). */
    device: Device;
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

/** An error a route answers with a status other than its domain code's (401, 413, 426, 429). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function errorBody(code: string, message: string, field?: string): ErrorResponse {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

export async function buildServerApp(options: ServerAppOptions): Promise<FastifyInstance> {
  const { db, clock } = options;
  const app = Fastify({ loggerInstance: options.logger, bodyLimit: maxRequestBytes });
  app.decorateRequest('device', null as unknown as Device);

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) return reply.status(error.status).send(errorBody(error.code, error.message));
    if (error instanceof DomainError) return reply.status(statusOfCode[error.code]).send(errorBody(error.code.toLowerCase(), error.message, error.field));
    const fastifyError = error as { statusCode?: number; code?: string; message?: string };
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(errorBody('too_large', `A request body holds at most ${maxRequestBytes} bytes: send fewer commands per push`));
    }
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
      return reply.status(fastifyError.statusCode).send(errorBody('bad_request', fastifyError.message ?? 'Bad request'));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody('internal', 'The server failed to answer this request; it was logged. Try again'));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('not_found', `No route ${request.method} ${request.url}`)));

  app.get('/health', async () => ({ ok: true, protocol: protocolVersion, serverTime: clock.now().toISOString() }));

  // Every other route: the protocol version, negotiated on each request.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health') return;
    const spoken = negotiatedVersion(request);
    reply.header(protocolHeader, String(spoken));
  });

  app.post('/enrol', async (request) => {
    const body = parseInput(enrolRequestSchema, request.body);
    return enrolDevice(db, clock, body);
  });

  const authenticate = async (request: FastifyRequest) => {
    request.device = await authenticatedDevice(db, request);
  };

  app.post('/push', { onRequest: authenticate }, async (request) => {
    const body = parseInput(pushRequestSchema, request.body);
    const outcome: PushOutcome = await pushEnvelopes(db, clock, request.device, body.envelopes);
    if (Object.keys(outcome.versions).length > 0) options.onVersions?.(outcome.versions);
    return outcome.response;
  });

  app.register(adminRoutes, { db, clock, adminToken: options.adminToken });

  return app;
}

/** The version this request speaks; too old a terminal gets 426 with what to do. */
function negotiatedVersion(request: FastifyRequest): number {
  const header = request.headers[protocolHeader];
  const spoken = Number(Array.isArray(header) ? header[0] : header);
  if (!Number.isInteger(spoken) || spoken < 0) {
    throw new HttpError(400, 'protocol_missing', `Every request names its protocol version in the ${protocolHeader} header (this server speaks ${oldestProtocolVersion} to ${protocolVersion})`);
  }
  if (spoken < oldestProtocolVersion) {
    throw new HttpError(426, 'upgrade_required', `This terminal speaks sync protocol ${spoken}; this server needs ${oldestProtocolVersion} to ${protocolVersion}. Update Box Office on this terminal, then sync again: nothing it holds is lost`);
  }
  if (spoken > protocolVersion) {
    throw new HttpError(400, 'server_too_old', `This terminal speaks sync protocol ${spoken}; this server only ${protocolVersion}. Update the Box Office server`);
  }
  return spoken;
}

const bearer = /^Bearer\s+(\S+)$/i;

async function authenticatedDevice(db: ServerDatabase, request: FastifyRequest): Promise<Device> {
  const match = bearer.exec(request.headers.authorization ?? '');
  if (!match) throw new HttpError(401, 'unauthenticated', 'This request carries no device token: enrol the terminal first (box-office sync enrol)');
  const device = await deviceOfToken(db, match[1]!);
  if (!device) throw new HttpError(401, 'unauthenticated', 'This device token is not known to the server: enrol the terminal again');
  if (device.revoked_at !== null) throw new HttpError(401, 'revoked', 'This terminal was revoked by an administrator: enrol it again with a new code');
  return device;
}
