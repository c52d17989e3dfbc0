import { connect } from 'node:net';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors.ts';
import { errorResponseSchema, protocolHeader, protocolVersion, pushResponseSchema } from '../../sync/protocol.ts';
import { freshServerDatabase, serverStoreKinds, type TestServerDatabase } from '../../test/fixtures/server-database.ts';
import type { ServerDatabase } from '../db/database.ts';
import type { ServerDB } from '../db/schema.ts';
import { createEnrolmentCode, enrolDevice } from '../devices/enrolment.ts';
import { buildServerApp, type ServerAppOptions } from './app.ts';

/**
 * The HTTP boundary itself: every refusal and every failure answers one JSON shape with no stack
 * trace (ours, Fastify's own, a socket that is not HTTP); the limits on bodies, batches and
 * request rates; the protocol versions a server answers.
 */
const clock = { now: () => new Date('2026-07-10T12:00:00.000Z') };
const silent = pino({ level: 'silent' });
const current = { [protocolHeader]: String(protocolVersion) };
const pushHeaders = (token: string, version = protocolVersion) => ({ [protocolHeader]: String(version), authorization: `Bearer ${token}` });

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** The response is our error shape and nothing else: `{ error: { code, message[, field] } }`. */
function expectError(response: Answer, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
  const body = errorResponseSchema.strict().parse(JSON.parse(response.body));
  expect(Object.keys(body.error).filter((key) => !['code', 'message', 'field'].includes(key))).toEqual([]);
  expect(body.error.code).toBe(code);
  expect(response.body).not.toMatch(/\bat .*:\d+:\d+|\.ts\b|node_modules|FST_ERR/);
  return body.error;
}

describe('a server whose database is unreachable', () => {
  it('answers 500 internal, nothing of the database’s error', async () => {
    // Port 1 on loopback: nothing listens there, so every query fails at once with ECONNREFUSED.
    const unreachable: ServerDatabase = new Kysely<ServerDB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/box_office' }) }) });
    const api = await buildServerApp({ db: unreachable, clock, logger: silent });
    try {
      const response = await api.inject({ method: 'POST', url: '/push', headers: pushHeaders('a-token'), payload: { envelopes: [] } });
      expect(expectError(response, 500, 'internal')).toEqual({ code: 'internal', message: 'The server failed to answer this request; it was logged. Try again' });
      expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await api.close();
      await unreachable.destroy();
    }
  });
});

describe.each(serverStoreKinds)('the HTTP boundary on %s', (kind) => {
  let server: TestServerDatabase;
  let db: ServerDatabase;
  const apps: Awaited<ReturnType<typeof buildServerApp>>[] = [];

  // PGlite takes about 4 s to open and migrate on this 2-core machine, more while other suites
  // run: past the 10 s a hook gets by default.
  beforeAll(async () => {
    server = await freshServerDatabase(kind);
    db = server.db;
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await server.drop();
  });

  async function app(options: Partial<ServerAppOptions> = {}) {
    const built = await buildServerApp({ db, clock, logger: silent, ...options });
    apps.push(built);
    return built;
  }

  async function enrolledToken(): Promise<string> {
    const { code } = await createEnrolmentCode(db, clock, { role: 'admin' });
    return (await enrolDevice(db, clock, { code })).token;
  }

  describe('errors', () => {
    it('answers a route’s plain Error with 500 internal, logged, and nothing of the error itself', async () => {
      const logged: string[] = [];
      const api = await app({ logger: pino({ level: 'error' }, { write: (line: string) => logged.push(line) }) });
      api.get('/explode', async () => {
        throw new Error('connection to 10.1.2.3 refused while reading /srv/box-office/secret.ts');
      });
      const response = await api.inject({ method: 'GET', url: '/explode', headers: current });
      expect(expectError(response, 500, 'internal').message).toBe('The server failed to answer this request; it was logged. Try again');
      expect(response.body).not.toContain('10.1.2.3');
      expect(logged.join('')).toContain('10.1.2.3');
    });

    it('answers Fastify’s own refusals in the same shape: bad JSON, an empty or non-JSON body, an unknown route, a bad URL', async () => {
      const api = await app();
      api.get('/things/:id', async () => ({ ok: true }));
      const enrol = (payload: string, contentType: string) => api.inject({ method: 'POST', url: '/enrol', headers: { ...current, 'content-type': contentType }, payload });

      expect(expectError(await enrol('{"code": ', 'application/json'), 400, 'malformed_json').message).toBe('The request body is not valid JSON');
      expect(expectError(await enrol('', 'application/json'), 400, 'malformed_json').message).toMatch(/empty/);
      expect(expectError(await enrol('code=1', 'text/plain'), 415, 'unsupported_media_type').message).toMatch(/application\/json/);
      expect(expectError(await enrol('<code/>', 'application/xml'), 415, 'unsupported_media_type').message).toMatch(/application\/json/);
      expect(expectError(await api.inject({ method: 'GET', url: '/nowhere' }), 404, 'not_found').message).toBe('No route GET /nowhere');
      expectError(await api.inject({ method: 'GET', url: '/things/%E0%A4%A', headers: current }), 400, 'bad_request');
    });

    it('answers a JSON body of the wrong shape with 400 naming the field', async () => {
      const api = await app();
      const response = await api.inject({ method: 'POST', url: '/enrol', headers: current, payload: { code: 42 } });
      expect(expectError(response, 400, 'validation')).toMatchObject({ field: 'code' });
    });

    it('answers a connection that does not speak HTTP in the same shape', async () => {
      const api = await app();
      await api.listen({ host: '127.0.0.1', port: 0 });
      const { port } = api.server.address() as { port: number };
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port }, () => socket.write('HELLO box office\r\n\r\n'));
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request/);
      expectError({ statusCode: 400, headers: { 'content-type': 'application/json' }, body }, 400, 'bad_request');
    });
  });

  describe('limits', () => {
    it('counts a device’s requests per device: over the limit it gets 429 with Retry-After, other devices do not', async () => {
      const api = await app({ limits: { deviceRequests: { max: 3, windowMs: 60_000 } } });
      const [busy, quiet] = [await enrolledToken(), await enrolledToken()];
      const push = (token: string) => api.inject({ method: 'POST', url: '/push', headers: pushHeaders(token), payload: { envelopes: [] } });

      for (let i = 0; i < 3; i++) expect((await push(busy)).statusCode).toBe(200);
      const refused = await push(busy);
      expect(expectError(refused, 429, 'rate_limited').message).toMatch(/^This terminal sent more than 3 requests in a minute: wait \d+ seconds? and send again$/);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(pushResponseSchema.parse((await push(quiet)).json()).receipts).toEqual([]);
    });

    it('counts enrolment attempts per address, right or wrong: a refused attempt spends no code', async () => {
      const api = await app({ limits: { enrolmentAttempts: { max: 2, windowMs: 60_000 } } });
      const enrol = (code: string, remoteAddress: string) => api.inject({ method: 'POST', url: '/enrol', headers: current, remoteAddress, payload: { code } });
      const { code } = await createEnrolmentCode(db, clock, { role: 'gate' });

      expect((await enrol('AAAA-BBBB-CCCC', '192.0.2.7')).statusCode).toBe(403);
      expect((await enrol('AAAA-BBBB-CCCD', '192.0.2.7')).statusCode).toBe(403);
      const refused = await enrol(code, '192.0.2.7');
      expect(expectError(refused, 429, 'rate_limited').message).toMatch(/^Too many enrolment attempts from this address: wait \d+ seconds?, then type the code again$/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await enrol(code, '192.0.2.8')).statusCode).toBe(200);
    });

    it('takes a body up to its limit and refuses one byte more with 413', async () => {
      const api = await app({ limits: { requestBytes: 200 } });
      const token = await enrolledToken();
      const body = (size: number) => {
        const base = JSON.stringify({ envelopes: [], padding: '' });
        return JSON.stringify({ envelopes: [], padding: 'x'.repeat(size - base.length) });
      };
      const push = (payload: string) => api.inject({ method: 'POST', url: '/push', headers: { ...pushHeaders(token), 'content-type': 'application/json' }, payload });
      expect((await push(body(200))).statusCode).toBe(200);
      expect(expectError(await push(body(201)), 413, 'too_large').message).toBe('A request body holds at most 200 bytes: send fewer commands per push');
    });

    it('refuses limits that make no sense, naming the field', async () => {
      const refusal = (options: Partial<ServerAppOptions>) => buildServerApp({ db, clock, logger: silent, ...options }).then(() => undefined, (error: unknown) => error);
      expect(await refusal({ limits: { pushCommands: 501 } })).toMatchObject({ code: 'VALIDATION', field: 'pushCommands', message: expect.stringMatching(/at most the protocol's 500 commands/) });
      expect(await refusal({ limits: { deviceRequests: { max: 0, windowMs: 1000 } } })).toMatchObject({ code: 'VALIDATION', field: 'deviceRequests.max' });
      const versions = await refusal({ protocolVersions: { oldest: 3, newest: 2 } });
      expect(versions).toBeInstanceOf(DomainError);
      expect(versions).toMatchObject({ field: 'oldest' });
    });

    it('refuses a batch over a lowered command limit with 413 telling the terminal to split', async () => {
      const api = await app({ limits: { pushCommands: 2 } });
      const token = await enrolledToken();
      const envelopes = [1, 2, 3].map((seq) => ({ seq }));
      const response = await api.inject({ method: 'POST', url: '/push', headers: pushHeaders(token), payload: { envelopes } });
      expect(expectError(response, 413, 'too_many_commands')).toEqual({
        code: 'too_many_commands',
        message: 'A push holds at most 2 commands and this one holds 3: split it into pushes of 2 or fewer',
        field: 'envelopes',
      });
    });
  });

  describe('protocol versions', () => {
    it('answers a terminal one version behind in its version, and refuses one too old or too new', async () => {
      const api = await app({ protocolVersions: { oldest: 1, newest: 2 } });
      const token = await enrolledToken();
      const push = (version: number) => api.inject({ method: 'POST', url: '/push', headers: pushHeaders(token, version), payload: { envelopes: [] } });

      const behind = await push(1);
      expect(behind.statusCode).toBe(200);
      expect(behind.headers[protocolHeader]).toBe('1');
      expect(pushResponseSchema.parse(behind.json()).lastSeq).toBe(0);
      expect((await push(2)).headers[protocolHeader]).toBe('2');

      const old = expectError(await push(0), 426, 'upgrade_required');
      expect(old.message).toBe('This terminal speaks sync protocol 0; this server needs 1 to 2. Update Box Office on this terminal, then sync again: nothing it holds is lost');
      expect(expectError(await push(3), 400, 'server_too_old').message).toMatch(/Update the Box Office server/);
      const missing = await api.inject({ method: 'POST', url: '/push', headers: { authorization: `Bearer ${token}` }, payload: { envelopes: [] } });
      expect(expectError(missing, 400, 'protocol_missing').message).toMatch(/box-office-protocol header \(this server speaks 1 to 2\)/);
    });

    it('tells anyone what it speaks on /health, which needs no version', async () => {
      const api = await app({ protocolVersions: { oldest: 1, newest: 2 } });
      const health = await api.inject({ method: 'GET', url: '/health' });
      expect(health.json()).toEqual({ ok: true, protocol: 2, oldestProtocol: 1, serverTime: '2026-07-10T12:00:00.000Z' });
    });
  });
});
