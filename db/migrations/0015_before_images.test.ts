import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { beforeImages } from './0015_before_images.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0015 (before-images)', () => {
  it('counts the commands written before it as settled, and images only what a command with a seq writes', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, beforeImages.version - 1);
    db.exec(`
      INSERT INTO outbox (id, seq, device_id, name, version, args, hlc, at, status) VALUES ('env-1', 1, 'device-1', 'checkin.scan', 1, '{}', 'h1', '${at}', 'applied');
      INSERT INTO outbox (id, seq, device_id, name, version, args, hlc, at) VALUES ('env-2', 2, 'device-1', 'checkin.scan', 1, '{}', 'h2', '${at}');
      INSERT INTO events (id, name, time_zone, currency, created_at, updated_at) VALUES ('ev-1', 'Spring Fair', 'Europe/Amsterdam', 'EUR', '${at}', '${at}');
    `);
    migrateToLatest(db, beforeImages.version);
    expect(db.prepare("SELECT value FROM terminal_state WHERE key = 'sync_settled_seq'").get()).toEqual({ value: '2' });
    expect(db.prepare('SELECT seq, status FROM outbox ORDER BY seq').all()).toEqual([
      { seq: 1, status: 'applied' },
      { seq: 2, status: 'pending' },
    ]);

    db.exec(`UPDATE events SET name = 'Untouched' WHERE id = 'ev-1'`);
    expect(db.prepare('SELECT count(*) AS n FROM before_images').get()).toEqual({ n: 0 });
    db.exec(`
      INSERT INTO command_capture (id, seq) VALUES (1, 3);
      UPDATE events SET name = 'Summer Fair' WHERE id = 'ev-1';
      UPDATE events SET name = 'Autumn Fair' WHERE id = 'ev-1';
      DELETE FROM command_capture;
    `);
    const images = db.prepare('SELECT seq, table_name, image FROM before_images').all() as { seq: number; table_name: string; image: string }[];
    expect(images.map((row) => ({ ...row, image: (JSON.parse(row.image) as { name: string }).name }))).toEqual([{ seq: 3, table_name: 'events', image: 'Untouched' }]);
    expect(() => db.exec('INSERT INTO command_capture (id, seq) VALUES (2, 4)')).toThrow(/CHECK/);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });

  it('leaves a terminal that never wrote a command without a settled seq (it counts from 0)', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, beforeImages.version);
    expect(db.prepare("SELECT value FROM terminal_state WHERE key = 'sync_settled_seq'").get()).toBeUndefined();
  });
});
