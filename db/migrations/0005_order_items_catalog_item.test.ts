import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { orderItemsCatalogItem } from './0005_order_items_catalog_item.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0005 (order_items_catalog_item)', () => {
  it('indexes the order items already in the store, so units sold per catalog item come from the index', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, orderItemsCatalogItem.version - 1);
    db.exec(`
      INSERT INTO events (id, name, created_at, updated_at) VALUES ('e', 'Fest', '${at}', '${at}');
      INSERT INTO catalog_items (id, event_id, kind, name, price, created_at, updated_at) VALUES
        ('beer', 'e', 'token', 'Beer token', 300, '${at}', '${at}'),
        ('shirt', 'e', 'product', 'Shirt', 2000, '${at}', '${at}');
      INSERT INTO orders (id, event_id, number, channel, status, created_at, updated_at) VALUES
        ('o1', 'e', 'B000001', 'box_office', 'paid', '${at}', '${at}');
      INSERT INTO order_items (id, order_id, catalog_item_id, description, quantity, unit_price, created_at) VALUES
        ('i1', 'o1', 'beer', 'Beer token', 4, 300, '${at}'),
        ('i2', 'o1', 'beer', 'Beer token', 2, 300, '${at}'),
        ('i3', 'o1', 'shirt', 'Shirt', 1, 2000, '${at}'),
        ('i4', 'o1', NULL, 'Imported line', 1, 500, '${at}');
    `);
    migrateToLatest(db, orderItemsCatalogItem.version);
    const query = "SELECT catalog_item_id AS id, sum(quantity) AS sold FROM order_items WHERE catalog_item_id IN ('beer', 'shirt') GROUP BY catalog_item_id ORDER BY catalog_item_id";
    expect(db.prepare(query).all()).toEqual([
      { id: 'beer', sold: 6 },
      { id: 'shirt', sold: 1 },
    ]);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
    expect(plan).toContain('order_items_catalog_item');
    expect(db.prepare('SELECT count(*) AS n FROM order_items').get()).toEqual({ n: 4 });
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
