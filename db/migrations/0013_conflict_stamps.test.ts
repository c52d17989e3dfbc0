import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { conflictStamps } from './0013_conflict_stamps.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0013 (conflict stamps)', () => {
  it('keeps customers, alternative e-mails and labels, with no stamps and no merge yet', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, conflictStamps.version - 1);
    db.exec(`
      INSERT INTO customers (id, search_rowid, email, first_name, sort_name, created_at, updated_at) VALUES ('k1', 1, 'anna@example.com', 'Anna', 'anna', '${at}', '${at}');
      INSERT INTO customer_emails (customer_id, email, created_at, deleted_at) VALUES ('k1', 'work@example.com', '${at}', NULL), ('k1', 'old@example.com', '${at}', '${at}');
      INSERT INTO labels (id, name, created_at, updated_at) VALUES ('l1', 'VIP', '${at}', '${at}');
      INSERT INTO customer_labels (customer_id, label_id, created_at) VALUES ('k1', 'l1', '${at}');
    `);
    migrateToLatest(db, conflictStamps.version);
    expect(db.prepare('SELECT id, email, first_name, field_hlcs, merged_into FROM customers').all()).toEqual([
      { id: 'k1', email: 'anna@example.com', first_name: 'Anna', field_hlcs: '{}', merged_into: null },
    ]);
    expect(db.prepare('SELECT email, deleted_at, hlc FROM customer_emails ORDER BY email').all()).toEqual([
      { email: 'old@example.com', deleted_at: at, hlc: null },
      { email: 'work@example.com', deleted_at: null, hlc: null },
    ]);
    expect(db.prepare('SELECT label_id, deleted_at, hlc FROM customer_labels').all()).toEqual([{ label_id: 'l1', deleted_at: null, hlc: null }]);
    // A new customer gets no stamps; the stamps column is never null (STRICT: text only).
    db.exec(`INSERT INTO customers (id, search_rowid, created_at, updated_at) VALUES ('k2', 2, '${at}', '${at}')`);
    expect(db.prepare(`SELECT field_hlcs FROM customers WHERE id = 'k2'`).get()).toEqual({ field_hlcs: '{}' });
    expect(() => db.exec(`UPDATE customers SET field_hlcs = NULL`)).toThrow(/NOT NULL/);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
