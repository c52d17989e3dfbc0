import type { PostgresMigration } from './index.ts';

/**
 * What the server keeps to sync terminals (DESIGN.md section 6); none of it is a synced table.
 *
 * event_versions: per scope (an event's id, or '' for the rows of no event: customers, labels,
 * operators, web users), the newest `server_version`. A push takes the rows of the scopes its
 * commands name `FOR UPDATE`; the first row written in a scope in a transaction increments its
 * version once (the trigger below) and every row the transaction writes in that scope is stamped
 * with it. Versions are therefore commit-ordered and gap-free per scope: a pull that saw version N
 * committed will never later meet a row stamped N or lower. The pull cursor is a version, never a clock.
 *
 * devices: enrolled terminals. The token is stored as its SHA-256 (a random 256-bit token needs no
 * slow hash); revoking sets revoked_at and the device's next request gets 401. `last_seq` is the
 * newest seq of the device the server holds (the push protocol's acknowledgement).
 *
 * enrolment_codes: one-time codes, stored as their SHA-256, with the role and event they grant.
 *
 * receipts: the server's answer to each envelope a device pushed, with the envelope itself (the
 * server's journal), written in the transaction of the command's effects; a retried push gets it
 * back instead of running the command twice.
 *
 * order_items and order_status_history get `server_version` like every synced row.
 */
export const sync: PostgresMigration = {
  version: 2,
  name: 'sync',
  sql: `
    ALTER TABLE order_items ADD COLUMN server_version bigint;
    ALTER TABLE order_status_history ADD COLUMN server_version bigint;

    CREATE TABLE event_versions (
      scope text PRIMARY KEY,
      version bigint NOT NULL DEFAULT 0
    );
    INSERT INTO event_versions (scope, version) VALUES ('', 0);

    CREATE TABLE devices (
      id text PRIMARY KEY,
      name text,
      role text NOT NULL CHECK (role IN ('gate', 'box_office', 'supervisor', 'admin')),
      event_id text REFERENCES events (id),
      short_code text NOT NULL UNIQUE,
      token_hash text NOT NULL UNIQUE,
      last_seq bigint NOT NULL DEFAULT 0,
      enrolled_at text NOT NULL,
      last_seen_at text,
      revoked_at text
    );

    CREATE TABLE enrolment_codes (
      code_hash text PRIMARY KEY,
      role text NOT NULL CHECK (role IN ('gate', 'box_office', 'supervisor', 'admin')),
      event_id text REFERENCES events (id),
      created_at text NOT NULL,
      expires_at text NOT NULL,
      used_at text,
      device_id text REFERENCES devices (id)
    );

    CREATE TABLE receipts (
      envelope_id text PRIMARY KEY,
      device_id text NOT NULL REFERENCES devices (id),
      seq bigint NOT NULL,
      name text NOT NULL,
      version integer NOT NULL,
      event_id text,
      operator text,
      hlc text NOT NULL,
      at text NOT NULL,
      args text NOT NULL,
      status text NOT NULL CHECK (status IN ('applied', 'applied_with_conflict', 'rejected')),
      code text,
      message text,
      field text,
      conflicts text,
      received_at text NOT NULL,
      UNIQUE (device_id, seq)
    );
    CREATE INDEX receipts_conflicts ON receipts (received_at) WHERE status <> 'applied';

    -- The scope a row belongs to, by how its table names its event: its event_id column, its own id
    -- (events), its order's or its pack's event, or no event ('').
    CREATE FUNCTION stamp_server_version() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      row_scope text;
      setting text;
      stamped bigint;
    BEGIN
      IF TG_ARGV[0] = 'event_id' THEN
        row_scope := coalesce(NEW.event_id, '');
      ELSIF TG_ARGV[0] = 'self' THEN
        row_scope := NEW.id;
      ELSIF TG_ARGV[0] = 'order' THEN
        SELECT event_id INTO row_scope FROM orders WHERE id = NEW.order_id;
      ELSIF TG_ARGV[0] = 'pack' THEN
        SELECT event_id INTO row_scope FROM catalog_items WHERE id = NEW.pack_item_id;
      ELSE
        row_scope := '';
      END IF;
      row_scope := coalesce(row_scope, '');
      -- A custom setting local to the transaction (and undone with a savepoint) remembers the
      -- version this transaction took in the scope: one increment per transaction, not per row.
      setting := 'box_office.v' || md5(row_scope);
      stamped := nullif(current_setting(setting, true), '')::bigint;
      IF stamped IS NULL THEN
        INSERT INTO event_versions AS v (scope, version) VALUES (row_scope, 1)
          ON CONFLICT (scope) DO UPDATE SET version = v.version + 1
          RETURNING version INTO stamped;
        PERFORM set_config(setting, stamped::text, true);
      END IF;
      NEW.server_version := stamped;
      RETURN NEW;
    END;
    $$;

    CREATE TRIGGER events_server_version BEFORE INSERT OR UPDATE ON events FOR EACH ROW EXECUTE FUNCTION stamp_server_version('self');
    CREATE TRIGGER ticket_types_server_version BEFORE INSERT OR UPDATE ON ticket_types FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE TRIGGER gates_server_version BEFORE INSERT OR UPDATE ON gates FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE TRIGGER web_users_server_version BEFORE INSERT OR UPDATE ON web_users FOR EACH ROW EXECUTE FUNCTION stamp_server_version('none');
    CREATE TRIGGER customers_server_version BEFORE INSERT OR UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION stamp_server_version('none');
    CREATE TRIGGER customer_emails_server_version BEFORE INSERT OR UPDATE ON customer_emails FOR EACH ROW EXECUTE FUNCTION stamp_server_version('none');
    CREATE TRIGGER labels_server_version BEFORE INSERT OR UPDATE ON labels FOR EACH ROW EXECUTE FUNCTION stamp_server_version('none');
    CREATE TRIGGER customer_labels_server_version BEFORE INSERT OR UPDATE ON customer_labels FOR EACH ROW EXECUTE FUNCTION stamp_server_version('none');
    CREATE TRIGGER catalog_items_server_version BEFORE INSERT OR UPDATE ON catalog_items FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE TRIGGER pack_contents_server_version BEFORE INSERT OR UPDATE ON pack_contents FOR EACH ROW EXECUTE FUNCTION stamp_server_version('pack');
    CREATE TRIGGER orders_server_version BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE TRIGGER order_items_server_version BEFORE INSERT OR UPDATE ON order_items FOR EACH ROW EXECUTE FUNCTION stamp_server_version('order');
    CREATE TRIGGER order_status_history_server_version BEFORE INSERT OR UPDATE ON order_status_history FOR EACH ROW EXECUTE FUNCTION stamp_server_version('order');
    CREATE TRIGGER tickets_server_version BEFORE INSERT OR UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE TRIGGER tags_server_version BEFORE INSERT OR UPDATE ON tags FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE TRIGGER scans_server_version BEFORE INSERT OR UPDATE ON scans FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE TRIGGER ledger_entries_server_version BEFORE INSERT OR UPDATE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE TRIGGER gift_cards_server_version BEFORE INSERT OR UPDATE ON gift_cards FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE TRIGGER operators_server_version BEFORE INSERT OR UPDATE ON operators FOR EACH ROW EXECUTE FUNCTION stamp_server_version('none');

    -- Pulls read each table's rows of a scope after a version.
    CREATE INDEX events_version ON events (server_version);
    CREATE INDEX ticket_types_version ON ticket_types (event_id, server_version);
    CREATE INDEX gates_version ON gates (event_id, server_version);
    CREATE INDEX web_users_version ON web_users (server_version);
    CREATE INDEX customers_version ON customers (server_version);
    CREATE INDEX customer_emails_version ON customer_emails (server_version);
    CREATE INDEX labels_version ON labels (server_version);
    CREATE INDEX customer_labels_version ON customer_labels (server_version);
    CREATE INDEX catalog_items_version ON catalog_items (event_id, server_version);
    CREATE INDEX pack_contents_version ON pack_contents (server_version);
    CREATE INDEX orders_version ON orders (event_id, server_version);
    CREATE INDEX order_items_version ON order_items (server_version);
    CREATE INDEX order_status_history_version ON order_status_history (server_version);
    CREATE INDEX tickets_version ON tickets (event_id, server_version);
    CREATE INDEX tags_version ON tags (event_id, server_version);
    CREATE INDEX scans_version ON scans (event_id, server_version);
    CREATE INDEX ledger_entries_version ON ledger_entries (event_id, server_version);
    CREATE INDEX gift_cards_version ON gift_cards (event_id, server_version);
    CREATE INDEX operators_version ON operators (server_version);
  `,
};
