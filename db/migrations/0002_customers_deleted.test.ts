import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { customersDeleted } from './0002_customers_deleted.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0002 (customers_deleted)', () => {
  it('indexes the deleted customers already in the store, so the list counts them from the index', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, customersDeleted.version - 1);
    db.exec(`
      INSERT INTO customers (id, email, verification_status, created_at, updated_at, deleted_at) VALUES
        ('c1', 'ann@example.com', 'verified', '${at}', '${at}', NULL),
        ('c2', 'bob@example.com', 'verified', '${at}', '${at}', '${at}'),
        ('c3', 'cas@example.com', 'non_verified', '${at}', '${at}', '${at}'),
        ('c4', NULL, 'non_verified', '${at}', '${at}', NULL);
    `);
    migrateToLatest(db, customersDeleted.version);
    const query = "SELECT count(*) AS n FROM customers WHERE verification_status = 'verified' AND deleted_at IS NOT NULL";
    expect(db.prepare(query).get()).toEqual({ n: 1 });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    expect(plan).toContain('customers_deleted');
    // The rows themselves are untouched.
    expect(db.prepare('SELECT id, deleted_at IS NOT NULL AS deleted FROM customers ORDER BY id').all()).toEqual([
      { id: 'c1', deleted: 0 },
      { id: 'c2', deleted: 1 },
      { id: 'c3', deleted: 1 },
      { id: 'c4', deleted: 0 },
    ]);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
