import type { PostgresMigration } from './index.ts';

/**
 * The synced tables (DESIGN.md section 4) for PostgreSQL and PGlite: the same tables, columns and
 * natural keys as the terminal's SQLite store, so one command body writes the same rows on both
 * (core/commands/tx.ts). Times are ISO-8601 text and flags integers 0/1 on both sides, so a body's
 * comparisons mean the same everywhere. What is terminal-only is absent: the outbox, the terminal's
 * state, readers, wrong-PIN counts, replayed envelopes, the search projections and the customers'
 * `search_rowid` (the FTS index's row key). The audit log's key is the server's own sequence.
 *
 * Names compared case-insensitively on the terminal (`COLLATE NOCASE`) are unique on lower(name) here.
 */
export const syncedTables: PostgresMigration = {
  version: 1,
  name: 'synced_tables',
  sql: `
    CREATE TABLE events (
      id text PRIMARY KEY,
      name text NOT NULL,
      starts_at text,
      ends_at text,
      time_zone text NOT NULL DEFAULT 'UTC',
      currency text NOT NULL DEFAULT 'EUR',
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint
    );

    CREATE TABLE ticket_types (
      id text PRIMARY KEY,
      event_id text NOT NULL REFERENCES events (id),
      name text NOT NULL,
      valid_from text,
      valid_until text,
      max_entries integer,
      reentry_allowed integer NOT NULL DEFAULT 1,
      gate_ids text,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint,
      deleted_at text
    );
    CREATE UNIQUE INDEX ticket_types_event_name ON ticket_types (event_id, lower(name));

    CREATE TABLE gates (
      id text PRIMARY KEY,
      event_id text NOT NULL REFERENCES events (id),
      name text NOT NULL,
      zone text,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint,
      deleted_at text
    );

    CREATE TABLE web_users (
      id text PRIMARY KEY,
      email text NOT NULL,
      first_name text,
      last_name text,
      phone text,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint
    );
    CREATE UNIQUE INDEX web_users_email ON web_users (email);

    CREATE TABLE customers (
      id text PRIMARY KEY,
      email text,
      first_name text,
      last_name text,
      phone text,
      postcode text,
      address text,
      city text,
      country text,
      gender text,
      verification_status text NOT NULL DEFAULT 'non_verified',
      description text,
      web_user_id text REFERENCES web_users (id),
      total_spent bigint NOT NULL DEFAULT 0,
      order_count integer NOT NULL DEFAULT 0,
      sort_name text NOT NULL DEFAULT '',
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint,
      deleted_at text
    );
    CREATE UNIQUE INDEX customers_email ON customers (email) WHERE email IS NOT NULL AND deleted_at IS NULL;
    CREATE INDEX customers_web_user ON customers (web_user_id) WHERE web_user_id IS NOT NULL;

    CREATE TABLE customer_emails (
      customer_id text NOT NULL REFERENCES customers (id),
      email text NOT NULL,
      created_at text NOT NULL,
      deleted_at text,
      server_version bigint,
      PRIMARY KEY (customer_id, email)
    );
    CREATE INDEX customer_emails_email ON customer_emails (email);

    CREATE TABLE labels (
      id text PRIMARY KEY,
      name text NOT NULL,
      color text,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint
    );
    CREATE UNIQUE INDEX labels_name ON labels (lower(name));

    CREATE TABLE customer_labels (
      customer_id text NOT NULL REFERENCES customers (id),
      label_id text NOT NULL REFERENCES labels (id),
      created_at text NOT NULL,
      deleted_at text,
      server_version bigint,
      PRIMARY KEY (customer_id, label_id)
    );

    CREATE TABLE catalog_items (
      id text PRIMARY KEY,
      event_id text NOT NULL REFERENCES events (id),
      kind text NOT NULL,
      name text NOT NULL,
      price bigint NOT NULL,
      ledger_amount bigint,
      ticket_type_id text REFERENCES ticket_types (id),
      capacity integer,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint,
      deleted_at text
    );
    CREATE INDEX catalog_items_event ON catalog_items (event_id, kind);

    CREATE TABLE pack_contents (
      id text PRIMARY KEY,
      pack_item_id text NOT NULL REFERENCES catalog_items (id),
      content_item_id text NOT NULL REFERENCES catalog_items (id),
      quantity integer NOT NULL,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint,
      deleted_at text
    );
    CREATE UNIQUE INDEX pack_contents_pack ON pack_contents (pack_item_id, content_item_id) WHERE deleted_at IS NULL;

    CREATE TABLE orders (
      id text PRIMARY KEY,
      event_id text NOT NULL REFERENCES events (id),
      number text NOT NULL,
      channel text NOT NULL,
      customer_id text REFERENCES customers (id),
      status text NOT NULL,
      total bigint NOT NULL DEFAULT 0,
      amount_paid bigint NOT NULL DEFAULT 0,
      flags text NOT NULL DEFAULT '[]',
      note text,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint,
      deleted_at text
    );
    CREATE UNIQUE INDEX orders_number ON orders (event_id, number);
    CREATE INDEX orders_customer ON orders (customer_id, created_at);

    CREATE TABLE order_items (
      id text PRIMARY KEY,
      order_id text NOT NULL REFERENCES orders (id),
      catalog_item_id text REFERENCES catalog_items (id),
      description text NOT NULL,
      quantity integer NOT NULL,
      unit_price bigint NOT NULL,
      created_at text NOT NULL
    );
    CREATE INDEX order_items_order ON order_items (order_id);

    CREATE TABLE order_status_history (
      id text PRIMARY KEY,
      order_id text NOT NULL REFERENCES orders (id),
      status text NOT NULL,
      note text,
      operator text,
      device_id text,
      at text NOT NULL
    );
    CREATE INDEX order_status_history_order ON order_status_history (order_id, at);

    CREATE TABLE tickets (
      id text PRIMARY KEY,
      event_id text NOT NULL REFERENCES events (id),
      reference text NOT NULL,
      ticket_type_id text NOT NULL REFERENCES ticket_types (id),
      customer_id text REFERENCES customers (id),
      order_id text REFERENCES orders (id),
      status text NOT NULL DEFAULT 'valid',
      invalid_reason text,
      redeemed integer NOT NULL DEFAULT 0,
      banned integer NOT NULL DEFAULT 0,
      first_scan_at text,
      last_scan_at text,
      last_scan_gate_id text,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint,
      entry_count integer NOT NULL DEFAULT 0,
      inside_since text,
      inside_gate_id text
    );
    CREATE UNIQUE INDEX tickets_event_reference ON tickets (event_id, reference);
    CREATE INDEX tickets_event_reference_folded ON tickets (event_id, lower(reference));
    CREATE INDEX tickets_customer ON tickets (customer_id) WHERE customer_id IS NOT NULL;
    CREATE INDEX tickets_order ON tickets (order_id) WHERE order_id IS NOT NULL;

    CREATE TABLE tags (
      id text PRIMARY KEY,
      event_id text NOT NULL REFERENCES events (id),
      uid text NOT NULL,
      ticket_type_id text NOT NULL REFERENCES ticket_types (id),
      customer_id text NOT NULL REFERENCES customers (id),
      ticket_id text REFERENCES tickets (id),
      active integer NOT NULL DEFAULT 0,
      banned integer NOT NULL DEFAULT 0,
      inactive_reason text,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint,
      entry_count integer NOT NULL DEFAULT 0,
      inside_since text,
      inside_gate_id text
    );
    CREATE UNIQUE INDEX tags_event_uid ON tags (event_id, uid);
    CREATE INDEX tags_uid ON tags (uid);
    CREATE INDEX tags_customer ON tags (customer_id);
    CREATE UNIQUE INDEX tags_one_active ON tags (customer_id, event_id) WHERE active = 1;
    CREATE INDEX tags_ticket ON tags (ticket_id) WHERE ticket_id IS NOT NULL;

    CREATE TABLE scans (
      id text PRIMARY KEY,
      event_id text NOT NULL REFERENCES events (id),
      code text NOT NULL,
      ticket_id text REFERENCES tickets (id),
      tag_id text REFERENCES tags (id),
      gate_id text,
      direction text NOT NULL,
      verdict text NOT NULL,
      reason text NOT NULL,
      device_id text NOT NULL,
      operator text,
      scanned_at text NOT NULL,
      server_version bigint,
      undone_at text
    );
    CREATE INDEX scans_ticket ON scans (ticket_id, scanned_at) WHERE ticket_id IS NOT NULL;
    CREATE INDEX scans_tag ON scans (tag_id, scanned_at) WHERE tag_id IS NOT NULL;
    CREATE INDEX scans_event_time ON scans (event_id, scanned_at);

    CREATE TABLE ledger_entries (
      id text PRIMARY KEY,
      customer_id text NOT NULL REFERENCES customers (id),
      event_id text REFERENCES events (id),
      kind text NOT NULL,
      amount bigint NOT NULL,
      order_id text REFERENCES orders (id),
      reason text NOT NULL,
      device_id text NOT NULL,
      command_id text NOT NULL,
      created_at text NOT NULL,
      server_version bigint
    );
    CREATE INDEX ledger_entries_customer ON ledger_entries (customer_id, created_at);

    CREATE TABLE gift_cards (
      id text PRIMARY KEY,
      code text NOT NULL,
      event_id text NOT NULL REFERENCES events (id),
      catalog_item_id text REFERENCES catalog_items (id),
      order_id text NOT NULL REFERENCES orders (id),
      customer_id text REFERENCES customers (id),
      value bigint NOT NULL,
      status text NOT NULL DEFAULT 'active',
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint
    );
    CREATE UNIQUE INDEX gift_cards_code ON gift_cards (code);
    CREATE INDEX gift_cards_order ON gift_cards (order_id);

    CREATE TABLE operators (
      id text PRIMARY KEY,
      name text NOT NULL,
      name_key text NOT NULL,
      role text NOT NULL,
      pin_hash text NOT NULL,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      server_version bigint,
      deleted_at text
    );
    CREATE UNIQUE INDEX operators_name_key ON operators (name_key) WHERE deleted_at IS NULL;

    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at text NOT NULL,
      operator text,
      device_id text NOT NULL,
      operation text NOT NULL,
      entity text NOT NULL,
      entity_id text NOT NULL,
      before text,
      after text,
      command_id text
    );
    CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);
  `,
};
