import { describe, expect, it } from 'vitest';
import { currentVersions } from '../../server/sync/pull.ts';
import { loopbackSyncServer } from '../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { checkinTerminalAtServer } from '../../test/fixtures/sync-server.ts';
import type { LiveAnnouncement } from '../protocol.ts';
import { followLiveUpdates, liveUrl } from './live-updates.ts';

/** The terminal's live socket against a real server: the versions at once, then each push's. */

function announcements() {
  const received: LiveAnnouncement[] = [];
  let waiting: { matches(announcement: LiveAnnouncement): boolean; resolve(announcement: LiveAnnouncement): void } | undefined;
  return {
    received,
    push(announcement: LiveAnnouncement) {
      received.push(announcement);
      if (waiting?.matches(announcement)) {
        waiting.resolve(announcement);
        waiting = undefined;
      }
    },
    next(matches: (announcement: LiveAnnouncement) => boolean): Promise<LiveAnnouncement> {
      const found = received.find(matches);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => (waiting = { matches, resolve }));
    },
  };
}

describe('liveUrl', () => {
  it('speaks ws to an http server and wss to an https one', () => {
    expect(liveUrl('http://192.168.1.10:8080')).toBe('ws://192.168.1.10:8080/live');
    expect(liveUrl('https://box.example.org')).toBe('wss://box.example.org/live');
  });
});

describe.each(serverStoreKinds)('live updates from a server on %s', (kind) => {
  const suite = loopbackSyncServer(kind);

  it('hears the current versions when it opens, then the version another terminal’s push reached', async () => {
    const terminal = await checkinTerminalAtServer(suite.server.db);
    const scanner = await suite.server.enrol('admin', { deviceId: terminal.deviceId, eventId: terminal.eventId });
    const gate = await suite.server.enrol('gate', { eventId: terminal.eventId });
    const heard = announcements();
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const live = followLiveUpdates({ serverUrl: suite.url, token: gate.token, onAnnouncement: heard.push, onOpen: () => opened() });
    try {
      await open;
      expect(live.open).toBe(true);
      const before = await currentVersions(suite.server.db, [terminal.eventId]);
      await heard.next((announcement) => announcement.scope === terminal.eventId);
      expect(heard.received).toContainEqual({ scope: terminal.eventId, version: before[terminal.eventId] });

      await terminal.scan(terminal.tickets[0]!.reference);
      await suite.server.push(scanner.token, terminal.newEnvelopes());
      const after = await currentVersions(suite.server.db, [terminal.eventId]);
      expect(await heard.next((announcement) => announcement.scope === terminal.eventId && announcement.version > before[terminal.eventId]!)).toEqual({
        scope: terminal.eventId,
        version: after[terminal.eventId],
      });
    } finally {
      await live.close();
    }
    expect(live.open).toBe(false);
  });
});
