import type { Migration } from './index.ts';

/**
 * The whole local data model of DESIGN.md section 4. Conventions: ids are UUIDv7 text, money is
 * integer minor units (currency on the event), timestamps are ISO-8601 UTC text with milliseconds,
 * booleans are 0/1 integers, tag UIDs are upper-case hex without separators.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE terminal_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        starts_at TEXT,
        ends_at TEXT,
        time_zone TEXT NOT NULL DEFAULT 'UTC',
        currency TEXT NOT NULL DEFAULT 'EUR',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER
      ) STRICT;

      CREATE TABLE gates (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        name TEXT NOT NULL,
        zone TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER,
        deleted_at TEXT,
        UNIQUE (event_id, name)
      ) STRICT;

      CREATE TABLE ticket_types (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        name TEXT NOT NULL,
        valid_from TEXT,
        valid_until TEXT,
        max_entries INTEGER,
        reentry_allowed INTEGER NOT NULL DEFAULT 1,
        -- JSON array of gate ids that admit this type; NULL admits at every gate.
        gate_ids TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER,
        deleted_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX ticket_types_event_name ON ticket_types (event_id, name COLLATE NOCASE);

      CREATE TABLE web_users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        first_name TEXT,
        last_name TEXT,
        phone TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX web_users_email ON web_users (email);

      CREATE TABLE customers (
        -- The row's integer key, local to this store, and the rowid of the customer's row in
        -- customer_search (FTS5 rowids are integers). Declared as the primary key so VACUUM never
        -- renumbers it, and so every index below ends in this 8-byte key rather than the 36-byte
        -- id: the list's sort indexes are half the size, which makes imports ~40% faster.
        search_rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        email TEXT,
        first_name TEXT,
        last_name TEXT,
        phone TEXT,
        postcode TEXT,
        address TEXT,
        city TEXT,
        country TEXT,
        gender TEXT,
        verification_status TEXT NOT NULL DEFAULT 'non_verified'
          CHECK (verification_status IN ('verified', 'non_verified')),
        description TEXT,
        web_user_id TEXT REFERENCES web_users(id),
        -- Sort keys for the customers list, maintained by the order commands in the same
        -- transaction as the order (sorting 500,000 rows by a computed sum would be a full scan).
        total_spent INTEGER NOT NULL DEFAULT 0,
        order_count INTEGER NOT NULL DEFAULT 0,
        -- Lower-cased "last first" for sorting by name.
        sort_name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER,
        deleted_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX customers_email ON customers (email) WHERE email IS NOT NULL AND deleted_at IS NULL;
      -- The customers list's sorts; ties break on the row key that ends every index entry. The
      -- status is in each entry so the Verified / Non-verified filter (and skipping rows for an
      -- offset) is decided from the index without reading rows; three indexes rather than six
      -- (one per sort and status) keep imports fast.
      CREATE INDEX customers_by_name ON customers (sort_name, verification_status);
      CREATE INDEX customers_by_created ON customers (created_at, verification_status);
      CREATE INDEX customers_by_spent ON customers (total_spent, verification_status);
      CREATE INDEX customers_web_user ON customers (web_user_id) WHERE web_user_id IS NOT NULL;

      -- Names, e-mails (main and alternative) and phone digits of each customer; written by the
      -- commands that write customers. unicode61 with diacritics removed makes "Zoë" match "zoe";
      -- prefix indexes make search-as-you-type an index lookup.
      CREATE VIRTUAL TABLE customer_search USING fts5(
        name, emails, phone,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3'
      );

      CREATE TABLE customer_emails (
        customer_id TEXT NOT NULL REFERENCES customers(id),
        email TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (customer_id, email)
      ) STRICT;
      CREATE INDEX customer_emails_email ON customer_emails (email);

      CREATE TABLE labels (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        color TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX labels_name ON labels (name COLLATE NOCASE);

      CREATE TABLE customer_labels (
        customer_id TEXT NOT NULL REFERENCES customers(id),
        label_id TEXT NOT NULL REFERENCES labels(id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (customer_id, label_id)
      ) STRICT;

      CREATE TABLE catalog_items (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        kind TEXT NOT NULL CHECK (kind IN ('ticket', 'pack', 'access', 'credit', 'virtual_credit',
          'token', 'product', 'gift_card', 'subscription')),
        name TEXT NOT NULL,
        price INTEGER NOT NULL CHECK (price >= 0),
        -- Units of credit / virtual credit / token that one item puts on the customer's ledger.
        ledger_amount INTEGER,
        ticket_type_id TEXT REFERENCES ticket_types(id),
        capacity INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER,
        deleted_at TEXT
      ) STRICT;
      CREATE INDEX catalog_items_event ON catalog_items (event_id, kind);

      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        number TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('online', 'box_office')),
        customer_id TEXT REFERENCES customers(id),
        status TEXT NOT NULL CHECK (status IN ('reserved', 'expired', 'processing_payment',
          'confirming_payment', 'paid', 'refunding_items', 'refund_error', 'confirming_refund',
          'item_refunded', 'item_transfer_created', 'item_transfer_canceled', 'item_canceled',
          'item_invalidated', 'canceled')),
        total INTEGER NOT NULL DEFAULT 0,
        amount_paid INTEGER NOT NULL DEFAULT 0,
        flags TEXT NOT NULL DEFAULT '[]',
        note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER,
        deleted_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX orders_number ON orders (event_id, number);
      CREATE INDEX orders_customer ON orders (customer_id, created_at);

      CREATE TABLE order_items (
        id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES orders(id),
        catalog_item_id TEXT REFERENCES catalog_items(id),
        description TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX order_items_order ON order_items (order_id);

      CREATE TABLE order_status_history (
        id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES orders(id),
        status TEXT NOT NULL,
        note TEXT,
        operator TEXT,
        device_id TEXT,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX order_status_history_order ON order_status_history (order_id, at);

      CREATE TABLE tickets (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        reference TEXT NOT NULL,
        ticket_type_id TEXT NOT NULL REFERENCES ticket_types(id),
        customer_id TEXT REFERENCES customers(id),
        order_id TEXT REFERENCES orders(id),
        status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'invalid')),
        invalid_reason TEXT CHECK (invalid_reason IN ('transferred', 'canceled', 'refunded')),
        redeemed INTEGER NOT NULL DEFAULT 0,
        banned INTEGER NOT NULL DEFAULT 0,
        first_scan_at TEXT,
        last_scan_at TEXT,
        last_scan_gate_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER,
        CHECK ((status = 'invalid') = (invalid_reason IS NOT NULL))
      ) STRICT;
      -- Also serves lookups by reference in any event (event_id IN (SELECT id FROM events)): a
      -- store holds a handful of events, and one index less keeps imports fast.
      CREATE UNIQUE INDEX tickets_event_reference ON tickets (event_id, reference);
      CREATE INDEX tickets_customer ON tickets (customer_id) WHERE customer_id IS NOT NULL;
      CREATE INDEX tickets_order ON tickets (order_id) WHERE order_id IS NOT NULL;

      CREATE TABLE tags (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        uid TEXT NOT NULL CHECK (uid GLOB '[0-9A-F]*' AND length(uid) % 2 = 0),
        ticket_type_id TEXT NOT NULL REFERENCES ticket_types(id),
        customer_id TEXT NOT NULL REFERENCES customers(id),
        ticket_id TEXT REFERENCES tickets(id),
        active INTEGER NOT NULL DEFAULT 0,
        banned INTEGER NOT NULL DEFAULT 0,
        inactive_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX tags_event_uid ON tags (event_id, uid);
      CREATE INDEX tags_uid ON tags (uid);
      CREATE INDEX tags_customer ON tags (customer_id);
      -- The rule of seed 000: at most one active tag per customer per event.
      CREATE UNIQUE INDEX tags_one_active ON tags (customer_id, event_id) WHERE active = 1;

      CREATE TABLE scans (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        code TEXT NOT NULL,
        ticket_id TEXT REFERENCES tickets(id),
        tag_id TEXT REFERENCES tags(id),
        gate_id TEXT,
        direction TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
        verdict TEXT NOT NULL CHECK (verdict IN ('admitted', 'rejected')),
        reason TEXT NOT NULL,
        device_id TEXT NOT NULL,
        operator TEXT,
        scanned_at TEXT NOT NULL,
        server_version INTEGER
      ) STRICT;
      CREATE INDEX scans_ticket ON scans (ticket_id, scanned_at) WHERE ticket_id IS NOT NULL;
      CREATE INDEX scans_tag ON scans (tag_id, scanned_at) WHERE tag_id IS NOT NULL;
      CREATE INDEX scans_event_time ON scans (event_id, scanned_at);

      CREATE TABLE ledger_entries (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        event_id TEXT REFERENCES events(id),
        kind TEXT NOT NULL CHECK (kind IN ('credit', 'virtual_credit', 'token')),
        amount INTEGER NOT NULL CHECK (amount <> 0),
        order_id TEXT REFERENCES orders(id),
        reason TEXT NOT NULL,
        device_id TEXT NOT NULL,
        -- The command that wrote this entry: a replayed command can never write it twice.
        command_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        server_version INTEGER,
        UNIQUE (command_id, kind, order_id)
      ) STRICT;
      CREATE INDEX ledger_entries_customer ON ledger_entries (customer_id, created_at);

      -- Local and append-only: an integer key in insertion order (an index less per entry than a
      -- UUID key; an import writes two entries per row). The command_id ties it to the outbox.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        operator TEXT,
        device_id TEXT NOT NULL,
        operation TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        before TEXT,
        after TEXT,
        command_id TEXT
      ) STRICT;
      CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);

      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        args TEXT NOT NULL,
        hlc TEXT NOT NULL,
        device_time TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected')),
        rejection TEXT
      ) STRICT;
    `);
  },
};
