import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../core/clock.ts';
import { lockStore, pgliteDir, removeRunningServer, writeRunningServer, type RunningServer, type StoreLock } from './data-folder.ts';
import { openServerDatabase, type ServerDatabase, type ServerStoreOptions } from './db/database.ts';
import { versionAnnouncerFor } from './sync/live.ts';
import { buildServerApp } from './http/app.ts';

/**
 * The central server process (`box-office-server start`): its store (PostgreSQL when a database is
 * given, else PGlite in the data folder, migrated either way), its HTTP API, and server.json in the
 * data folder telling the CLI where it listens and its admin token, for as long as it runs.
 */

export interface StartServerOptions {
  dataDir: string;
  /** A `postgres://` URL; absent: PGlite in `<dataDir>/pglite`, the single-venue default. */
  database?: string | undefined;
  /** 0: any free port (tests); the one taken is in server.json and in the log. */
  port: number;
  host: string;
  logger: Logger;
  clock?: Clock;
}

export interface StartedServer {
  port: number;
  /** Where this machine reaches it. */
  url: string;
  adminToken: string;
  /** Stops taking requests, finishes those in flight, closes the store, removes server.json. Once. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<StartedServer> {
  const { dataDir, logger } = options;
  const clock = options.clock ?? systemClock;
  // Only its owner reads the folder: it holds server.json's admin token (and the PGlite database).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Several servers may share one PostgreSQL database; a PGlite folder is one process's.
  const lock: StoreLock | undefined = options.database === undefined ? lockStore(dataDir, 'box-office-server') : undefined;
  let db: ServerDatabase | undefined;
  let app: FastifyInstance | undefined;
  let running: RunningServer;
  try {
    const store: ServerStoreOptions = options.database === undefined ? { pglite: pgliteDir(dataDir) } : { postgres: options.database };
    db = await openServerDatabase(store);
    const adminToken = randomBytes(32).toString('base64url');
    // On PostgreSQL, pushes to any server process reach this one's live sockets (LISTEN/NOTIFY).
    const announcer = await versionAnnouncerFor(store, db, logger);
    app = await buildServerApp({ db, clock, logger, adminToken, announcer });
    await app.listen({ port: options.port, host: options.host });
    const { port } = app.server.address() as AddressInfo;
    running = { pid: process.pid, url: localUrl(options.host, port), port, adminToken, startedAt: clock.now().toISOString() };
    writeRunningServer(dataDir, running);
  } catch (error) {
    await app?.close();
    await db?.destroy();
    lock?.release();
    throw error;
  }
  const store = options.database === undefined ? { store: 'pglite' } : { store: 'postgres', database: withoutPassword(options.database) };
  logger.info({ port: running.port, host: options.host, url: running.url, dataDir, ...store }, 'box-office-server listening');

  let closing: Promise<void> | undefined;
  const close = async () => {
    // server.json goes first: from now on the CLI opens the store itself once the lock is free.
    removeRunningServer(dataDir, running.adminToken);
    await app!.close();
    await db!.destroy();
    lock?.release();
    logger.info('box-office-server stopped');
  };
  return { port: running.port, url: running.url, adminToken: running.adminToken, close: () => (closing ??= close()) };
}

/** The address this machine reaches a server on: loopback when it listens on every interface. */
function localUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** The database URL for the log, its password masked. */
function withoutPassword(database: string): string {
  try {
    const url = new URL(database);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres';
  }
}
