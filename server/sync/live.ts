import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { LiveAnnouncement } from '../../sync/protocol.ts';
import type { ServerDatabase, ServerStoreOptions } from '../db/database.ts';
import type { Device } from '../devices/enrolment.ts';
import { currentVersions } from './pull.ts';
import { mayFollow } from './visible-rows.ts';

/**
 * Live announcements (DESIGN.md section 6, "Live"): a terminal keeps a WebSocket open and hears
 * which version a scope reached after each push, so it pulls at once instead of on its next timer.
 *
 * A WebSocket rather than server-sent events: `ws` is installed already, pings detect a dead
 * terminal or a proxy that dropped the connection in both directions, and the terminal's sync
 * worker (Node) sets its `Authorization` header on the upgrade request like on every other request.
 *
 * Several server processes may serve one PostgreSQL database (DESIGN.md section 6): a push on one
 * must reach the sockets held by the others. On PostgreSQL a push is announced with NOTIFY, and
 * each process LISTENs on a connection of its own and tells its sockets, its own pushes included;
 * on PGlite (one process) the announcement stays in the process.
 */

export type ScopeVersions = Record<string, number>;
export type VersionListener = (versions: ScopeVersions) => void;

export interface VersionAnnouncer {
  /**
   * Tells the subscribers of every server process that scopes reached versions. Never throws: the
   * push is committed already, and a lost announcement only delays terminals to their next pull.
   */
  announce(versions: ScopeVersions): Promise<void>;
  /** Calls `listener` with every announcement from now on; returns how to stop. */
  subscribe(listener: VersionListener): () => void;
  close(): Promise<void>;
}

type Logger = Pick<FastifyBaseLogger, 'warn'>;

export function inProcessAnnouncer(): VersionAnnouncer {
  const listeners = new Set<VersionListener>();
  return {
    async announce(versions) {
      for (const listener of [...listeners]) listener(versions);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}

/** The server processes' channel on PostgreSQL; its payload is a push's versions, `{"<scope>": <version>}`. */
export const versionsChannel = 'box_office_versions';
const notifiedVersions = z.record(z.string(), z.number().int().nonnegative());

export interface PostgresAnnouncerOptions {
  /** The database the server runs on; the LISTEN connection is its own, outside the pool. */
  connectionString: string;
  db: ServerDatabase;
  logger: Logger;
  /** The wait before LISTENing again after the connection was lost, doubled up to `max`. */
  reconnectMs?: { initial: number; max: number };
}

/**
 * LISTEN/NOTIFY across server processes. A lost LISTEN connection is opened again with backoff;
 * notifications sent meanwhile are lost with it, so once it listens again the current version of
 * every scope is told to the subscribers (a terminal already there ignores it).
 */
export async function postgresAnnouncer(options: PostgresAnnouncerOptions): Promise<VersionAnnouncer> {
  const { connectionString, db, logger } = options;
  const reconnectMs = options.reconnectMs ?? { initial: 1000, max: 30_000 };
  const local = inProcessAnnouncer();
  let listening: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = reconnectMs.initial;

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString, application_name: 'box-office-live' });
    client.on('notification', (message) => {
      if (message.channel !== versionsChannel) return;
      const versions = notifiedVersions.safeParse(parsedJson(message.payload));
      if (versions.success) void local.announce(versions.data);
      else logger.warn({ payload: message.payload }, `live: a ${versionsChannel} notification that is not a push's versions was ignored`);
    });
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${versionsChannel}`);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    if (closed) await client.end();
    else listening = client;
  }

  function lost(client: pg.Client, error?: Error): void {
    if (closed || listening !== client) return;
    listening = null;
    logger.warn({ err: error }, 'live: the LISTEN connection to PostgreSQL was lost; listening again');
    client.end().catch(() => undefined);
    listenAgain();
  }

  function listenAgain(): void {
    retry = setTimeout(async () => {
      try {
        await listen();
      } catch (error) {
        if (closed) return;
        logger.warn({ err: error }, `live: LISTEN failed; trying again in ${delay} ms`);
        delay = Math.min(delay * 2, reconnectMs.max);
        listenAgain();
        return;
      }
      delay = reconnectMs.initial;
      const current = await currentVersions(db).catch(() => ({}));
      await local.announce(current);
    }, delay);
  }

  await listen();
  return {
    async announce(versions) {
      try {
        await sql`SELECT pg_notify(${versionsChannel}, ${JSON.stringify(versions)})`.execute(db);
      } catch (error) {
        logger.warn({ err: error, versions }, 'live: a push could not be announced; terminals will see it on their next pull');
      }
    },
    subscribe: local.subscribe,
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = listening;
      listening = null;
      await client?.end();
      await local.close();
    },
  };
}

function parsedJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

/** The announcer a server on this store needs: across processes on PostgreSQL, in-process on PGlite. */
export function versionAnnouncerFor(store: ServerStoreOptions, db: ServerDatabase, logger: Logger): Promise<VersionAnnouncer> {
  return 'postgres' in store ? postgresAnnouncer({ connectionString: store.postgres, db, logger }) : Promise.resolve(inProcessAnnouncer());
}

/** A ping this often; a socket that has not answered the previous one by then is closed. */
export const livePingMs = 30_000;

/**
 * A device's live socket: the current version of each scope it follows at once (a push that
 * committed between its last pull and this socket is not missed), then every announced one. The
 * subscription starts first, so an announcement may arrive before the current versions: the
 * terminal compares each with its cursor, so order does not matter.
 */
export async function followVersions(socket: WebSocket, device: Device, db: ServerDatabase, announcer: VersionAnnouncer): Promise<void> {
  const send = (versions: ScopeVersions) => {
    for (const [scope, version] of Object.entries(versions)) {
      if (mayFollow(device, scope) && socket.readyState === socket.OPEN) socket.send(JSON.stringify({ scope, version } satisfies LiveAnnouncement));
    }
  };
  const unsubscribe = announcer.subscribe(send);
  let answered = true;
  const ping = setInterval(() => {
    if (!answered) return socket.terminate();
    answered = false;
    socket.ping();
  }, livePingMs);
  ping.unref();
  socket.on('pong', () => (answered = true));
  socket.on('close', () => {
    unsubscribe();
    clearInterval(ping);
  });
  send(await currentVersions(db, device.event_id === null ? undefined : ['', device.event_id]));
}
