import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 6 (pack_contents_gift_cards)', () => {
  it('adds what packs hold and the gift cards sales issue, keeping the catalog and orders of version 5', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, 5);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO ticket_types (id, event_id, name, created_at, updated_at) VALUES ('tt', 'e', 'Weekend', '${at}', '${at}');
      INSERT INTO catalog_items (id, event_id, kind, name, price, ticket_type_id, created_at, updated_at) VALUES
        ('weekend', 'e', 'ticket', 'Weekend ticket', 18900, 'tt', '${at}', '${at}'),
        ('pack', 'e', 'pack', 'Friends pack', 69900, NULL, '${at}', '${at}'),
        ('gift', 'e', 'gift_card', 'Gift card €50', 5000, NULL, '${at}', '${at}');
      INSERT INTO customers (id, search_rowid, created_at, updated_at) VALUES ('c', 1, '${at}', '${at}');
      INSERT INTO orders (id, event_id, number, channel, customer_id, status, total, created_at, updated_at) VALUES
        ('o', 'e', 'B000001', 'box_office', 'c', 'paid', 5000, '${at}', '${at}');
    `);
    migrateToLatest(db, 6);
    expect(db.prepare('SELECT id FROM catalog_items ORDER BY id').all()).toEqual([{ id: 'gift' }, { id: 'pack' }, { id: 'weekend' }]);

    db.exec(`INSERT INTO pack_contents (id, pack_item_id, content_item_id, quantity, created_at, updated_at) VALUES ('pc', 'pack', 'weekend', 4, '${at}', '${at}')`);
    expect(() => db.exec(`INSERT INTO pack_contents (id, pack_item_id, content_item_id, quantity, created_at, updated_at) VALUES ('pc2', 'pack', 'weekend', 1, '${at}', '${at}')`)).toThrow(/UNIQUE/);
    expect(() => db.exec(`INSERT INTO pack_contents (id, pack_item_id, content_item_id, quantity, created_at, updated_at) VALUES ('pc3', 'pack', 'pack', 1, '${at}', '${at}')`)).toThrow(/CHECK/);

    const giftCard = (id: string, code: string, value: number) =>
      db.exec(`INSERT INTO gift_cards (id, code, event_id, catalog_item_id, order_id, customer_id, value, created_at, updated_at)
        VALUES ('${id}', '${code}', 'e', 'gift', 'o', 'c', ${value}, '${at}', '${at}')`);
    giftCard('g1', 'GC-AAAA-BBBB', 5000);
    expect(db.prepare('SELECT code, value, status FROM gift_cards').all()).toEqual([{ code: 'GC-AAAA-BBBB', value: 5000, status: 'active' }]);
    expect(() => giftCard('g2', 'GC-AAAA-BBBB', 5000)).toThrow(/UNIQUE/);
    expect(() => giftCard('g3', 'GC-CCCC-DDDD', 0)).toThrow(/CHECK/);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  });
});
