import type { Migration } from './index.ts';

/**
 * Units sold per catalog item (capacity checks of orders.create, catalog.list's `sold`) are
 * counted through this index instead of reading every order item.
 */
export const orderItemsCatalogItem: Migration = {
  version: 5,
  name: 'order_items_catalog_item',
  up(db) {
    db.exec('CREATE INDEX order_items_catalog_item ON order_items (catalog_item_id) WHERE catalog_item_id IS NOT NULL;');
  },
};
