import type { Migration } from './index.ts';

/**
 * Every catalog kind sold delivers what it names (issue 8): a pack issues its contents, so what a
 * pack holds is stored (`pack_contents`: n units of another catalog item per pack); a gift card
 * issues a code with its value recorded (`gift_cards`). Both sync like other catalog and order rows.
 */
export const packContentsGiftCards: Migration = {
  version: 6,
  name: 'pack_contents_gift_cards',
  up(db) {
    db.exec(`
      CREATE TABLE pack_contents (
        id TEXT PRIMARY KEY,
        pack_item_id TEXT NOT NULL REFERENCES catalog_items(id),
        content_item_id TEXT NOT NULL REFERENCES catalog_items(id),
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER,
        deleted_at TEXT,
        CHECK (pack_item_id <> content_item_id)
      ) STRICT;
      CREATE UNIQUE INDEX pack_contents_pack ON pack_contents (pack_item_id, content_item_id) WHERE deleted_at IS NULL;
      CREATE INDEX pack_contents_content ON pack_contents (content_item_id);

      CREATE TABLE gift_cards (
        id TEXT PRIMARY KEY,
        -- What the holder presents; unique across events so a code never means two cards.
        code TEXT NOT NULL,
        event_id TEXT NOT NULL REFERENCES events(id),
        catalog_item_id TEXT REFERENCES catalog_items(id),
        order_id TEXT NOT NULL REFERENCES orders(id),
        customer_id TEXT REFERENCES customers(id),
        -- Integer minor units of the event's currency.
        value INTEGER NOT NULL CHECK (value > 0),
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'canceled')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX gift_cards_code ON gift_cards (code);
      CREATE INDEX gift_cards_order ON gift_cards (order_id);
    `);
  },
};
