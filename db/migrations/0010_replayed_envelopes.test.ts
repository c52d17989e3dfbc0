import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { replayedEnvelopes } from './0010_replayed_envelopes.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0010 (replayed envelopes)', () => {
  it('keeps what the store held and records replayed envelopes once per id', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, replayedEnvelopes.version - 1);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO outbox (id, seq, device_id, name, version, args, hlc, at, operator, event_id)
        VALUES ('env-1', 1, 'device-a', 'tickets.setBanned', 1, '{}', 'h', '${at}', 'cli', 'e');
    `);
    migrateToLatest(db, replayedEnvelopes.version);
    expect(db.prepare('SELECT id, name FROM events').all()).toEqual([{ id: 'e', name: 'Fest' }]);
    expect(db.prepare('SELECT id, seq, status FROM outbox').all()).toEqual([{ id: 'env-1', seq: 1, status: 'pending' }]);
    expect(db.prepare('SELECT count(*) AS n FROM replayed_envelopes').get()).toEqual({ n: 0 });

    const insert = db.prepare(`INSERT INTO replayed_envelopes (id, device_id, seq, command, replayed_at) VALUES (?, 'device-b', ?, 'tickets.setBanned@1', '${at}')`);
    insert.run('env-2', 1);
    expect(() => insert.run('env-2', 2)).toThrow(/UNIQUE/);
    expect(() => insert.run('env-3', 'two')).toThrow(/INTEGER/);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
