import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { outboxReceipts } from './0014_outbox_receipts.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0014 (outbox receipts)', () => {
  it('keeps waiting and rejected commands with their status, and takes the receipts’ statuses and conflicts', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, outboxReceipts.version - 1);
    db.exec(`
      INSERT INTO outbox (id, seq, device_id, name, version, args, hlc, at, operator, event_id)
        VALUES ('env-1', 1, 'device-1', 'checkin.scan', 1, '{}', 'h1', '${at}', 'anna', 'event-1');
      INSERT INTO outbox (id, seq, device_id, name, version, args, hlc, at, operator, event_id, status, rejection)
        VALUES ('env-2', 2, 'device-1', 'tags.assign', 1, '{}', 'h2', '${at}', NULL, NULL, 'rejected', 'Unknown operator');
    `);
    migrateToLatest(db, outboxReceipts.version);
    expect(db.prepare('SELECT id, seq, device_id, operator, event_id, status, rejection, conflicts FROM outbox ORDER BY seq').all()).toEqual([
      { id: 'env-1', seq: 1, device_id: 'device-1', operator: 'anna', event_id: 'event-1', status: 'pending', rejection: null, conflicts: null },
      { id: 'env-2', seq: 2, device_id: 'device-1', operator: null, event_id: null, status: 'rejected', rejection: 'Unknown operator', conflicts: null },
    ]);
    db.exec(`UPDATE outbox SET status = 'applied_with_conflict', conflicts = '[]' WHERE id = 'env-1'`);
    expect(() => db.exec(`UPDATE outbox SET status = 'lost' WHERE id = 'env-1'`)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO outbox (id, seq, device_id, name, version, args, hlc, at) VALUES ('env-3', 2, 'd', 'n', 1, '{}', 'h', '${at}')`)).toThrow(/UNIQUE/);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT min(seq) FROM outbox WHERE status = 'pending'`).all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).toMatch(/outbox_pending/);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
