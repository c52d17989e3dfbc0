import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { operators } from './0008_operators.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0008 (operators)', () => {
  it('keeps what the store held, starts with no operators and keeps names unique whatever their case', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, operators.version - 1);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO audit_log (at, operator, device_id, operation, entity, entity_id) VALUES ('${at}', 'cli', 'd', 'customers.update@1', 'customer', 'c1');
      INSERT INTO terminal_state (key, value) VALUES ('station.locked_at', '${at}');
    `);
    migrateToLatest(db, operators.version);
    expect(db.prepare('SELECT id, name FROM events').all()).toEqual([{ id: 'e', name: 'Fest' }]);
    expect(db.prepare('SELECT operator, entity_id FROM audit_log').all()).toEqual([{ operator: 'cli', entity_id: 'c1' }]);
    expect(db.prepare('SELECT value FROM terminal_state').all()).toEqual([{ value: at }]);
    expect(db.prepare('SELECT count(*) AS n FROM operators').get()).toEqual({ n: 0 });

    const insert = db.prepare(`INSERT INTO operators (id, name, name_key, role, pin_hash, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, 'h', '${at}', '${at}', ?)`);
    insert.run('o1', 'Ana', 'ana', 'admin', null);
    expect(() => insert.run('o2', 'ANA', 'ana', 'steward', null)).toThrow(/UNIQUE/);
    // A deleted operator's name may be given to someone new.
    db.prepare(`UPDATE operators SET deleted_at = '${at}' WHERE id = 'o1'`).run();
    insert.run('o3', 'ana', 'ana', 'steward', null);
    expect(() => insert.run('o4', 'Bo', 'bo', 'manager', null)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO operator_sign_in_failures (name_key, failures) VALUES ('ana', 0)").run()).toThrow(/CHECK/);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
