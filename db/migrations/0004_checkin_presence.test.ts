import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 4 (checkin_presence)', () => {
  it('folds the existing scans into each ticket and tag: entries, and the entry not followed by an exit', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, 3);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO ticket_types (id, event_id, name, created_at, updated_at) VALUES ('tt', 'e', 'Weekend', '${at}', '${at}');
      INSERT INTO customers (id, search_rowid, created_at, updated_at) VALUES ('c', 1, '${at}', '${at}');
      INSERT INTO tickets (id, event_id, reference, ticket_type_id, created_at, updated_at) VALUES
        ('inside', 'e', 'T1', 'tt', '${at}', '${at}'), ('out', 'e', 'T2', 'tt', '${at}', '${at}'), ('never', 'e', 'T3', 'tt', '${at}', '${at}');
      INSERT INTO tags (id, event_id, uid, ticket_type_id, customer_id, active, created_at, updated_at) VALUES
        ('tag', 'e', '04A1A1A1', 'tt', 'c', 1, '${at}', '${at}');
      INSERT INTO scans (id, event_id, code, ticket_id, tag_id, gate_id, direction, verdict, reason, device_id, scanned_at) VALUES
        ('s1', 'e', 'T1', 'inside', NULL, 'g1', 'entry', 'admitted', 'admitted', 'd', '2026-07-10T10:00:00.000Z'),
        ('s2', 'e', 'T1', 'inside', NULL, 'g1', 'exit', 'admitted', 'admitted', 'd', '2026-07-10T11:00:00.000Z'),
        ('s3', 'e', 'T1', 'inside', NULL, 'g2', 'entry', 'admitted', 'admitted', 'd', '2026-07-10T12:00:00.000Z'),
        ('s4', 'e', 'T1', 'inside', NULL, 'g2', 'entry', 'rejected', 'already_inside', 'd', '2026-07-10T13:00:00.000Z'),
        ('s5', 'e', 'T2', 'out', NULL, 'g1', 'entry', 'admitted', 'admitted', 'd', '2026-07-10T10:00:00.000Z'),
        ('s6', 'e', 'T2', 'out', NULL, 'g1', 'exit', 'admitted', 'admitted', 'd', '2026-07-10T10:30:00.000Z'),
        ('s7', 'e', '04A1A1A1', NULL, 'tag', 'g1', 'entry', 'admitted', 'admitted', 'd', '2026-07-10T09:00:00.000Z');
    `);
    migrateToLatest(db, 4);
    expect(db.prepare('SELECT id, entry_count, inside_since, inside_gate_id FROM tickets ORDER BY id').all()).toEqual([
      { id: 'inside', entry_count: 2, inside_since: '2026-07-10T12:00:00.000Z', inside_gate_id: 'g2' },
      { id: 'never', entry_count: 0, inside_since: null, inside_gate_id: null },
      { id: 'out', entry_count: 1, inside_since: null, inside_gate_id: null },
    ]);
    expect(db.prepare('SELECT entry_count, inside_since, inside_gate_id FROM tags').get()).toEqual({
      entry_count: 1,
      inside_since: '2026-07-10T09:00:00.000Z',
      inside_gate_id: 'g1',
    });
    expect(db.prepare('SELECT count(*) AS n FROM scans WHERE undone_at IS NULL').get()).toEqual({ n: 7 });
  });

  it('counts who is inside through the partial indexes, not the tables', () => {
    const db = openDatabase(':memory:');
    const plan = (query: string) => (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    expect(plan("SELECT inside_gate_id, count(*) FROM tickets WHERE event_id = 'e' AND inside_since IS NOT NULL GROUP BY inside_gate_id")).toContain(
      'USING COVERING INDEX tickets_inside',
    );
    expect(plan("SELECT inside_gate_id, count(*) FROM tags WHERE event_id = 'e' AND inside_since IS NOT NULL GROUP BY inside_gate_id")).toContain(
      'USING COVERING INDEX tags_inside',
    );
    expect(plan("SELECT uid FROM tags WHERE ticket_id = 't'")).toContain('USING INDEX tags_ticket');
  });
});
