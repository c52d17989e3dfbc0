import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { conflictRules } from './0012_conflict_rules.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0012 (conflict rules: activation HLC, double admissions, alerts)', () => {
  it('keeps the tags and scans it held, unstamped and unflagged, and adds an empty alerts table', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, conflictRules.version - 1);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO ticket_types (id, event_id, name, created_at, updated_at) VALUES ('tt', 'e', 'Weekend', '${at}', '${at}');
      INSERT INTO customers (id, created_at, updated_at) VALUES ('c', '${at}', '${at}');
      INSERT INTO tags (id, event_id, uid, ticket_type_id, customer_id, active, created_at, updated_at)
        VALUES ('t1', 'e', '04A1', 'tt', 'c', 1, '${at}', '${at}'), ('t2', 'e', '04B2', 'tt', 'c', 0, '${at}', '${at}');
      INSERT INTO scans (id, event_id, code, tag_id, direction, verdict, reason, device_id, scanned_at)
        VALUES ('s', 'e', '04A1', 't1', 'entry', 'admitted', 'admitted', 'd', '${at}');
    `);
    migrateToLatest(db, conflictRules.version);
    expect(db.prepare('SELECT id, active, activated_hlc FROM tags ORDER BY id').all()).toEqual([
      { id: 't1', active: 1, activated_hlc: null },
      { id: 't2', active: 0, activated_hlc: null },
    ]);
    expect(db.prepare('SELECT id, verdict, double_admission FROM scans').all()).toEqual([{ id: 's', verdict: 'admitted', double_admission: 0 }]);
    expect(db.prepare('SELECT count(*) AS n FROM alerts').get()).toEqual({ n: 0 });
    // One active tag per customer and event still holds.
    expect(() => db.exec(`UPDATE tags SET active = 1 WHERE id = 't2'`)).toThrow(/UNIQUE/);
    expect(() => db.exec(`UPDATE scans SET double_admission = 2`)).toThrow(/CHECK/);
    db.exec(`INSERT INTO alerts (id, event_id, kind, message, entity, entity_id, device_id, created_at)
      VALUES ('a', 'e', 'tag_replaced', 'Two terminals activated wristbands for one customer', 'tag', 't2', 'd', '${at}')`);
    expect(db.prepare('SELECT acknowledged_at, server_version FROM alerts').get()).toEqual({ acknowledged_at: null, server_version: null });
    expect(() => db.exec(`INSERT INTO alerts (id, event_id, kind, message, device_id, created_at) VALUES ('b', 'nowhere', 'x', 'y', 'd', '${at}')`)).toThrow(/FOREIGN KEY/);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
