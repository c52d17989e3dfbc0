import { describe, expect, it } from 'vitest';
import { readerDriverNames } from '../../core/enumerations.ts';
import { openDatabase } from '../connection.ts';
import { readers } from './0003_readers.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0003 (readers)', () => {
  it('adds the readers table beside the data already in the store, which it leaves alone', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, readers.version - 1);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO customers (id, email, created_at, updated_at) VALUES ('c1', 'ann@example.com', '${at}', '${at}');
    `);
    migrateToLatest(db, readers.version);
    expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'e' }]);
    expect(db.prepare('SELECT id, email FROM customers').all()).toEqual([{ id: 'c1', email: 'ann@example.com' }]);
    expect(db.prepare('SELECT count(*) AS n FROM readers').get()).toEqual({ n: 0 });
  });

  it('accepts every reader driver of core/enumerations.ts and refuses others, a duplicate name and a bad USB id', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, readers.version);
    const insert = db.prepare(
      `INSERT INTO readers (id, name, driver, vendor_id, created_at, updated_at) VALUES (?, ?, ?, ?, '${at}', '${at}')`,
    );
    readerDriverNames.forEach((driver, index) => insert.run(`r${index}`, `Reader ${index}`, driver, 0x072f));
    expect(db.prepare('SELECT driver FROM readers ORDER BY id').all().map((row) => (row as { driver: string }).driver)).toEqual([...readerDriverNames]);
    expect(() => insert.run('x1', 'Other', 'keyboard', null)).toThrow(/CHECK constraint failed/);
    expect(() => insert.run('x2', 'reader 0', 'simulated', null)).toThrow(/UNIQUE constraint failed/);
    expect(() => insert.run('x3', 'Big', 'pn532', 65536)).toThrow(/CHECK constraint failed/);
  });
});
