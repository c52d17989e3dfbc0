import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import type { ErrorResponse } from '../../sync/protocol.ts';
import { adminContract, adminOperationNames } from '../admin/admin.contract.ts';
import { adminHandlers, runAdminOperation } from '../admin/admin.handlers.ts';
import type { ServerDatabase } from '../db/database.ts';

/**
 * The /admin routes (server/admin/admin.contract.ts), which `box-office-server` calls while the
 * server runs: one PGlite database is open in one process, so the CLI cannot open it beside the
 * server. They answer only the admin token the server wrote into its data folder (server.json,
 * readable by its owner): whoever may read that folder administers the server already.
 */

export interface AdminRoutesOptions {
  db: ServerDatabase;
  clock: Clock;
  /** The token the routes answer (`Authorization: Bearer …`); without one they answer nobody. */
  adminToken: string | undefined;
}

const bearer = /^Bearer\s+(\S+)$/i;
const digest = (token: string) => createHash('sha256').update(token).digest();

export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, options) => {
  const handlers = adminHandlers(options.db, options.clock);
  // Compared as digests of equal length, in constant time: the comparison tells a guesser nothing.
  const expected = options.adminToken === undefined ? undefined : digest(options.adminToken);

  app.addHook('onRequest', async (request, reply) => {
    const match = bearer.exec(request.headers.authorization ?? '');
    if (expected !== undefined && match && timingSafeEqual(digest(match[1]!), expected)) return;
    const message = match
      ? 'This is not the admin token of this server: it changes at every start; box-office-server reads it from the data folder'
      : 'The admin routes need the admin token (Authorization: Bearer …) from server.json in the server’s data folder';
    const body: ErrorResponse = { error: { code: 'unauthenticated', message } };
    return reply.status(401).send(body);
  });

  for (const name of adminOperationNames) {
    const operation = adminContract[name];
    app.route({ method: operation.method, url: operation.path, handler: (request) => runAdminOperation(handlers, name, inputOf(request)) });
  }
};

/** The body's fields and the path's (`:id`) as one input; a body that is not an object is left for the schema to refuse. */
function inputOf(request: FastifyRequest): unknown {
  const params = (request.params ?? {}) as Record<string, string>;
  const body = request.body;
  if (body === undefined || body === null) return params;
  return typeof body === 'object' && !Array.isArray(body) ? { ...body, ...params } : body;
}
