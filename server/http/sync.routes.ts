import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { promisify } from 'node:util';
import { constants as zlibConstants, gzip, zstdCompress } from 'node:zlib';
import type { Clock } from '../../core/clock.ts';
import { parseInput } from '../../core/validation.ts';
import { checkRequestSchema, pullRequestSchema, snapshotRequestSchema } from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import { tableChecks } from '../sync/consistency.ts';
import { followVersions, type VersionAnnouncer } from '../sync/live.ts';
import { pullChanges } from '../sync/pull.ts';
import { snapshotPage } from '../sync/snapshot.ts';
import { SnapshotReadAhead } from '../sync/snapshot-read-ahead.ts';
import { authenticate } from './authenticate.ts';

/**
 * The down path of sync (DESIGN.md section 6), every route the device's (token) and in the
 * protocol's version: POST /pull (rows since the cursors), GET /snapshot (a first load, page by
 * page, each page's next read ahead: snapshot-read-ahead.ts), POST /check (each table's row count
 * and digest up to the cursors: consistency.ts) and GET /live (a WebSocket announcing new
 * versions). Pull, snapshot and check answers are compressed when the terminal accepts it.
 */

export interface SyncRoutesOptions {
  db: ServerDatabase;
  clock: Clock;
  announcer: VersionAnnouncer;
}

export async function syncRoutes(app: FastifyInstance, { db, clock, announcer }: SyncRoutesOptions): Promise<void> {
  await app.register(websocket);
  const device = authenticate(db);
  const readAhead = new SnapshotReadAhead((reader, request) => snapshotPage(db, reader, request));

  app.post('/pull', { onRequest: device }, async (request, reply) => {
    const body = parseInput(pullRequestSchema, request.body);
    return jsonTextReply(request, reply, JSON.stringify(await pullChanges(db, clock, request.device, body)));
  });

  app.get('/snapshot', { onRequest: device }, async (request, reply) => {
    const query = parseInput(snapshotRequestSchema, request.query);
    const page = await readAhead.page(request.device, query);
    return jsonTextReply(request, reply, page.json(clock.now().toISOString()));
  });

  app.post('/check', { onRequest: device }, async (request, reply) => {
    const body = parseInput(checkRequestSchema, request.body);
    const check = await tableChecks(db, request.device, body);
    return jsonTextReply(request, reply, JSON.stringify({ ...check, serverTime: clock.now().toISOString() }));
  });

  app.get('/live', { websocket: true, onRequest: device }, (socket, request) => {
    followVersions(socket, request.device, db, announcer).catch((error: unknown) => {
      request.log.error({ err: error }, 'live socket failed');
      socket.close(1011, 'The server failed to follow this terminal’s versions; connect again');
    });
  });
}

/**
 * Answers are compressed with zstd at level 1 when the terminal takes it, else gzip at level 1.
 * A page of 10,000 tickets (3.0 MB of JSON) took 12 ms to compress with zstd and 47 ms with gzip
 * on this kind of machine, 0.49 MB against 0.56 MB, and inflates in 21 ms against 24 ms. Several
 * terminals load at once from one server, whose CPU is then the bottleneck, not the venue's
 * network; gzip at zlib's default level 6 cost as much as reading the rows (bench/server.bench.ts).
 * zlib runs on libuv's pool, off the event loop.
 */
const compressors = {
  zstd: promisify(zstdCompress),
  gzip: promisify(gzip),
};
const zstdOptions = { params: { [zlibConstants.ZSTD_c_compressionLevel]: 1 } };
const gzipOptions = { level: 1 };

/** Below this many bytes an answer goes as it is: compressing would save a few bytes for a round of CPU. */
const compressFromBytes = 1024;

async function jsonTextReply(request: FastifyRequest, reply: FastifyReply, json: string): Promise<FastifyReply> {
  reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'accept-encoding');
  const encoding = json.length < compressFromBytes ? null : chosenEncoding(request.headers['accept-encoding']);
  if (encoding === null) return reply.send(json);
  const body = encoding === 'zstd' ? await compressors.zstd(json, zstdOptions) : await compressors.gzip(json, gzipOptions);
  return reply.header('content-encoding', encoding).send(body);
}

/** The encoding an Accept-Encoding header takes, zstd before gzip; null: neither (the answer goes as it is). */
export function chosenEncoding(header: string | undefined): 'zstd' | 'gzip' | null {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [coding, ...parameters] = part.split(';').map((piece) => piece.trim());
    if (!coding) continue;
    const weight = parameters.find((parameter) => parameter.startsWith('q='));
    weights.set(coding, weight === undefined ? 1 : Number(weight.slice(2)));
  }
  const takes = (coding: string) => (weights.get(coding) ?? weights.get('*') ?? 0) > 0;
  // `*` alone means gzip: a client that names no coding may not know zstd.
  if ((weights.get('zstd') ?? 0) > 0) return 'zstd';
  return takes('gzip') ? 'gzip' : null;
}
