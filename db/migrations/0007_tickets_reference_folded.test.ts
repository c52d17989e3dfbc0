import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { ticketsReferenceFolded } from './0007_tickets_reference_folded.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0007 (tickets_reference_folded)', () => {
  it('indexes the tickets already in the store, so another case finds them through the index', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, ticketsReferenceFolded.version - 1);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO ticket_types (id, event_id, name, created_at, updated_at) VALUES ('tt', 'e', 'Weekend', '${at}', '${at}');
      INSERT INTO tickets (id, event_id, reference, ticket_type_id, created_at, updated_at) VALUES
        ('t1', 'e', 'BO-JK4FYO2S9X', 'tt', '${at}', '${at}'), ('t2', 'e', 'BO-OTHER', 'tt', '${at}', '${at}');
    `);
    migrateToLatest(db, ticketsReferenceFolded.version);
    const query = "SELECT id FROM tickets WHERE event_id = 'e' AND lower(reference) = lower('bo-jk4fyo2s9x')";
    expect(db.prepare(query).all()).toEqual([{ id: 't1' }]);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    expect(plan).toContain('USING INDEX tickets_event_reference_folded');
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
