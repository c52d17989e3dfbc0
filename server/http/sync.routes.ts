import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Clock } from '../../core/clock.ts';
import { parseInput } from '../../core/validation.ts';
import { pullRequestSchema, snapshotRequestSchema } from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import { followVersions, type VersionAnnouncer } from '../sync/live.ts';
import { pullChanges } from '../sync/pull.ts';
import { snapshotPage } from '../sync/snapshot.ts';
import { authenticate } from './authenticate.ts';

/**
 * The down path of sync (DESIGN.md section 6), every route the device's (token) and in the
 * protocol's version: POST /pull (rows since the cursors), GET /snapshot (a first load, page by
 * page) and GET /live (a WebSocket announcing new versions). Pull and snapshot answers are gzipped
 * when the terminal accepts it.
 */

export interface SyncRoutesOptions {
  db: ServerDatabase;
  clock: Clock;
  announcer: VersionAnnouncer;
}

export async function syncRoutes(app: FastifyInstance, { db, clock, announcer }: SyncRoutesOptions): Promise<void> {
  await app.register(websocket);
  const device = authenticate(db);

  app.post('/pull', { onRequest: device }, async (request, reply) => {
    const body = parseInput(pullRequestSchema, request.body);
    return jsonReply(request, reply, await pullChanges(db, clock, request.device, body));
  });

  app.get('/snapshot', { onRequest: device }, async (request, reply) => {
    const query = parseInput(snapshotRequestSchema, request.query);
    return jsonReply(request, reply, await snapshotPage(db, clock, request.device, query));
  });

  app.get('/live', { websocket: true, onRequest: device }, (socket, request) => {
    followVersions(socket, request.device, db, announcer).catch((error: unknown) => {
      request.log.error({ err: error }, 'live socket failed');
      socket.close(1011, 'The server failed to follow this terminal’s versions; connect again');
    });
  });
}

/**
 * gzip at level 1. A page of 10,000 seeded tickets is 5.8 MB of JSON: 0.85 MB in 90 ms at level 1,
 * 0.75 MB in 250 ms at zlib's default 6 (a loaded 2-CPU machine). At level 6 compressing cost as
 * much as reading the rows, and a first load of 2.5 million rows took 4x the raw key-order read
 * (bench/server.bench.ts); level 1 made it 26% faster for about 10% more bytes. Several terminals
 * load at once from one server, whose CPU is then the bottleneck, not the venue's network.
 * zlib runs on libuv's pool, off the event loop.
 */
const gzipped = promisify(gzip);
const gzipOptions = { level: 1 };

/** Below this many bytes an answer goes as it is: gzip would save a few bytes for a round of CPU. */
const compressFromBytes = 1024;

async function jsonReply(request: FastifyRequest, reply: FastifyReply, body: unknown): Promise<FastifyReply> {
  const json = JSON.stringify(body);
  reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (json.length < compressFromBytes || !acceptsGzip(request.headers['accept-encoding'])) return reply.send(json);
  return reply.header('content-encoding', 'gzip').send(await gzipped(json, gzipOptions));
}

/** Whether an Accept-Encoding header takes gzip: named (or `*`) with a weight above 0. */
export function acceptsGzip(header: string | undefined): boolean {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [coding, ...parameters] = part.split(';').map((piece) => piece.trim());
    if (!coding) continue;
    const weight = parameters.find((parameter) => parameter.startsWith('q='));
    weights.set(coding, weight === undefined ? 1 : Number(weight.slice(2)));
  }
  return (weights.get('gzip') ?? weights.get('*') ?? 0) > 0;
}
