import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { orderLinesServerVersion } from './0011_order_lines_server_version.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0011 (order lines carry server_version)', () => {
  it('keeps the order lines and history it held, with no server version yet', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, orderLinesServerVersion.version - 1);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO orders (id, event_id, number, channel, status, amount_paid, created_at, updated_at)
        VALUES ('o', 'e', 'B000001', 'box_office', 'paid', 500, '${at}', '${at}');
      INSERT INTO order_items (id, order_id, description, quantity, unit_price, created_at) VALUES ('i', 'o', 'Day pass', 1, 500, '${at}');
      INSERT INTO order_status_history (id, order_id, status, at) VALUES ('h', 'o', 'paid', '${at}');
    `);
    migrateToLatest(db, orderLinesServerVersion.version);
    expect(db.prepare('SELECT id, description, server_version FROM order_items').all()).toEqual([{ id: 'i', description: 'Day pass', server_version: null }]);
    expect(db.prepare('SELECT id, status, server_version FROM order_status_history').all()).toEqual([{ id: 'h', status: 'paid', server_version: null }]);
    db.exec(`UPDATE order_items SET server_version = 7`);
    expect(() => db.exec(`UPDATE order_status_history SET server_version = 'seven'`)).toThrow(/INTEGER/);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
