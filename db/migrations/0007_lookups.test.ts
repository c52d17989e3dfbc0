import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { lookups } from './0007_lookups.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0007 (lookups)', () => {
  it('indexes the tickets already in the store, so another case finds them through the index', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, lookups.version - 1);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO ticket_types (id, event_id, name, created_at, updated_at) VALUES ('tt', 'e', 'Weekend', '${at}', '${at}');
      INSERT INTO tickets (id, event_id, reference, ticket_type_id, created_at, updated_at) VALUES
        ('t1', 'e', 'BO-JK4FYO2S9X', 'tt', '${at}', '${at}'), ('t2', 'e', 'BO-OTHER', 'tt', '${at}', '${at}');
      INSERT INTO web_users (id, email, first_name, last_name, created_at, updated_at) VALUES
        ('w1', 'zoe@example.com', 'Zoë', 'Öztürk', '${at}', '${at}');
    `);
    migrateToLatest(db, lookups.version);
    const query = "SELECT id FROM tickets WHERE event_id = 'e' AND lower(reference) = lower('bo-jk4fyo2s9x')";
    expect(db.prepare(query).all()).toEqual([{ id: 't1' }]);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    expect(plan).toContain('USING INDEX tickets_event_reference_folded');
    // Web users already there are searchable at once, and edits keep the index in step.
    const webUsers = (match: string) => db.prepare('SELECT rowid FROM web_user_search WHERE web_user_search MATCH ?').all(match).length;
    expect(webUsers('"zoe"* "ozt"*')).toBe(1);
    db.exec("UPDATE web_users SET last_name = 'Berg' WHERE id = 'w1'");
    expect([webUsers('"ozt"*'), webUsers('"berg"*')]).toEqual([0, 1]);
    db.exec("DELETE FROM web_users WHERE id = 'w1'");
    expect(webUsers('"zoe"*')).toBe(0);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    expect(db.prepare("INSERT INTO web_user_search (web_user_search) VALUES ('integrity-check')").run().changes).toBeGreaterThanOrEqual(0);
  });
});
