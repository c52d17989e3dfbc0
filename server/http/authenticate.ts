import type { FastifyRequest } from 'fastify';
import type { ServerDatabase } from '../db/database.ts';
import { deviceOfToken, type Device } from '../devices/enrolment.ts';
import { HttpError } from './http-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The device the request's token belongs to (routes behind `authenticate`). */
    device: Device;
  }
}

/**
 * The `onRequest` hook of every device route: the request's `Authorization: Bearer <token>` names
 * an enrolled, unrevoked device, which the route reads as `request.device`. Before a WebSocket's
 * upgrade too, so a refused terminal gets a 401 it can read instead of a socket that closes.
 */
export function authenticate(db: ServerDatabase): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    request.device = await authenticatedDevice(db, request);
  };
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
