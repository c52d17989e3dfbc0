import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { liveAnnouncementSchema, pushResponseSchema, type LiveAnnouncement } from '../../sync/protocol.ts';
import { openServerDatabase } from '../db/database.ts';
import { freshPostgresDatabase, serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { checkinTerminalAtServer, enrol, openSyncServer, protocolHeaders, settableClock, type SyncServer } from '../../test/fixtures/sync-server.ts';
import { currentVersions } from './pull.ts';
import { inProcessAnnouncer, postgresAnnouncer, type ScopeVersions, type VersionAnnouncer } from './live.ts';

/**
 * Live announcements: a device's socket hears of another device's push at once, in the process
 * that took the push and, on PostgreSQL, in every other server process on the database.
 */

/** A live socket and what it received, read in order. */
interface LiveSocket {
  socket: WebSocket;
  /** The next announcement not read yet that matches (announcements before it are read too). */
  next(matches?: (announcement: LiveAnnouncement) => boolean): Promise<LiveAnnouncement>;
}

function openLive(port: number, token: string): Promise<LiveSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/live`, { headers: protocolHeaders(token) });
  const received: LiveAnnouncement[] = [];
  let waiting: (() => void) | undefined;
  socket.on('message', (data) => {
    received.push(liveAnnouncementSchema.parse(JSON.parse(String(data))));
    waiting?.();
  });
  const live: LiveSocket = {
    socket,
    async next(matches = () => true) {
      for (;;) {
        const index = received.findIndex(matches);
        if (index >= 0) return received.splice(0, index + 1).at(-1)!;
        received.length = 0;
        await new Promise<void>((resolve) => (waiting = resolve));
      }
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(live));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`live answered ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

async function closeLive(live: LiveSocket): Promise<void> {
  if (live.socket.readyState === WebSocket.CLOSED) return;
  const closed = once(live.socket, 'close');
  live.socket.close();
  await closed;
}

describe.each(serverStoreKinds)('live on %s', (kind) => {
  let server: SyncServer;
  let announcer: VersionAnnouncer;
  let terminal: Awaited<ReturnType<typeof checkinTerminalAtServer>>;
  let scanner: { token: string };
  let port: number;

  beforeAll(async () => {
    announcer = inProcessAnnouncer();
    server = await openSyncServer(kind, { announcer });
    terminal = await checkinTerminalAtServer(server.db);
    // An admin terminal: checkin.scan declares no roles yet, and the server lets only admins run such a command.
    scanner = await server.enrol('admin', { deviceId: terminal.deviceId, eventId: terminal.eventId });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    port = (server.app.server.address() as { port: number }).port;
  }, 120_000);
  afterAll(() => server.close());

  it('tells a gate the current versions at once, then the version another device’s push reached', async () => {
    const gate = await server.enrol('gate', { eventId: terminal.eventId });
    const live = await openLive(port, gate.token);
    try {
      const before = await currentVersions(server.db, ['', terminal.eventId]);
      const opened = [await live.next(), await live.next()];
      expect(opened.sort((a, b) => a.scope.localeCompare(b.scope))).toEqual([
        { scope: '', version: before['']! },
        { scope: terminal.eventId, version: before[terminal.eventId]! },
      ]);

      await terminal.scan(terminal.tickets[0]!.reference);
      await server.push(scanner.token, terminal.newEnvelopes());
      const after = await currentVersions(server.db, [terminal.eventId]);
      expect(after[terminal.eventId]).toBeGreaterThan(before[terminal.eventId]!);
      expect(await live.next((announcement) => announcement.scope === terminal.eventId)).toEqual({ scope: terminal.eventId, version: after[terminal.eventId] });
    } finally {
      await closeLive(live);
    }
  });

  it('tells a device of one event nothing of another event', async () => {
    const gate = await server.enrol('gate', { eventId: terminal.eventId });
    const live = await openLive(port, gate.token);
    try {
      await live.next();
      await live.next();
      await announcer.announce({ 'another-event': 5 });
      await announcer.announce({ [terminal.eventId]: 99 });
      expect(await live.next()).toEqual({ scope: terminal.eventId, version: 99 });
    } finally {
      await closeLive(live);
    }
  });

  it('refuses a socket with no token or a revoked one before the upgrade', async () => {
    await expect(openLive(port, '')).rejects.toThrow('live answered 401');
    const gate = await server.enrol('gate');
    await server.db.updateTable('devices').set({ revoked_at: '2026-07-10T12:00:00.000Z' }).where('id', '=', gate.deviceId).execute();
    await expect(openLive(port, gate.token)).rejects.toThrow('live answered 401');
  });
});

describe('live across server processes on one PostgreSQL', () => {
  const serverCli = fileURLToPath(new URL('../cli/box-office-server.ts', import.meta.url));
  const clock = settableClock();
  const dataDirs: string[] = [];
  afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** `box-office-server start` on the database, once its log says it listens (and on which port). */
  async function startServerProcess(url: string): Promise<{ child: ChildProcess; port: number }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-server-'));
    dataDirs.push(dataDir);
    const child = spawn(process.execPath, [serverCli, 'start', '--database', url, '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let log = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        for (const line of log.split('\n').slice(0, -1)) {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'box-office-server listening' && typeof entry.port === 'number') resolve(entry.port);
        }
        log = log.slice(log.lastIndexOf('\n') + 1);
      });
      child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before listening: ${output}`)));
    });
    return { child, port };
  }

  async function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  it('announces a push taken by one process on a socket held by another', async () => {
    const database = await freshPostgresDatabase();
    const db = await openServerDatabase({ postgres: database.url });
    const processes: ChildProcess[] = [];
    try {
      const terminal = await checkinTerminalAtServer(db);
      const scanner = await enrol(db, clock, 'admin', { deviceId: terminal.deviceId, eventId: terminal.eventId });
      const gate = await enrol(db, clock, 'gate', { eventId: terminal.eventId });
      const [one, two] = await Promise.all([startServerProcess(database.url), startServerProcess(database.url)]);
      processes.push(one.child, two.child);

      const live = await openLive(two.port, gate.token);
      const opened = await live.next((announcement) => announcement.scope === terminal.eventId);
      await terminal.scan(terminal.tickets[0]!.reference);
      const response = await fetch(`http://127.0.0.1:${one.port}/push`, {
        method: 'POST',
        headers: { ...protocolHeaders(scanner.token), 'content-type': 'application/json' },
        body: JSON.stringify({ envelopes: terminal.newEnvelopes() }),
      });
      expect(pushResponseSchema.parse(await response.json()).receipts.map((receipt) => receipt.status)).toEqual(['applied']);
      const announced = await live.next((announcement) => announcement.scope === terminal.eventId);
      expect(announced.version).toBe(opened.version + 1);
      expect((await currentVersions(db, [terminal.eventId]))[terminal.eventId]).toBe(announced.version);
      await closeLive(live);
    } finally {
      await Promise.all(processes.map(stop));
      await db.destroy();
      await database.drop();
    }
  }, 120_000);

  it('LISTENs again after losing its connection, and tells its subscribers the versions they may have missed', async () => {
    const database = await freshPostgresDatabase();
    const db = await openServerDatabase({ postgres: database.url });
    const logger = pino({ level: 'silent' });
    const announcers: VersionAnnouncer[] = [];
    try {
      const options = { connectionString: database.url, db, logger, reconnectMs: { initial: 10, max: 100 } };
      const [sender, receiver] = [await postgresAnnouncer(options), await postgresAnnouncer(options)];
      announcers.push(sender, receiver);
      const heard: ScopeVersions[] = [];
      let hear: (() => void) | undefined;
      receiver.subscribe((versions) => {
        heard.push(versions);
        hear?.();
      });
      const nextHeard = async () => {
        while (heard.length === 0) await new Promise<void>((resolve) => (hear = resolve));
        return heard.shift()!;
      };

      await sender.announce({ e1: 3 });
      expect(await nextHeard()).toEqual({ e1: 3 });

      await sql`UPDATE event_versions SET version = 41 WHERE scope = ''`.execute(db);
      const { rows } = await sql<{ ended: boolean }>`
        SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE application_name = 'box-office-live' AND datname = current_database()`.execute(db);
      expect(rows.length).toBe(2);
      // Listening again, the receiver tells what it holds now: notifications meanwhile were lost.
      expect(await nextHeard()).toEqual({ '': 41 });
      await sender.announce({ e1: 4 });
      expect(await nextHeard()).toEqual({ e1: 4 });
    } finally {
      await Promise.all(announcers.map((announcer) => announcer.close()));
      await db.destroy();
      await database.drop();
    }
  }, 60_000);
});
