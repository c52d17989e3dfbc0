import type { Migration } from './index.ts';

/**
 * The command envelope (issue 9, DESIGN.md section 5): the outbox row stores the whole envelope,
 * so it gains the device, the operator, the event and the command's time (`at`, which replaces
 * `device_time`: both were the clock reading of the same run). Rows already waiting keep their
 * place: their device is this terminal's, their operator the one their audit entries name, their
 * event the `eventId` of their args.
 *
 * Removals that sync are tombstones (DESIGN.md section 4): an alternative e-mail or a label taken
 * off a customer keeps its row with `deleted_at` set, so the removal travels like any change and a
 * later add revives the row. Both tables also get `server_version`, as every synced row has.
 */
export const commandEnvelope: Migration = {
  version: 9,
  name: 'command_envelope',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_envelopes (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        device_id TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        args TEXT NOT NULL,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL,
        operator TEXT,
        event_id TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected')),
        rejection TEXT
      ) STRICT;
      INSERT INTO outbox_envelopes (id, seq, device_id, name, version, args, hlc, at, operator, event_id, status, rejection)
        SELECT o.id, o.seq,
          coalesce((SELECT value FROM terminal_state WHERE key = 'device_id'), ''),
          o.name, o.version, o.args, o.hlc, o.device_time,
          (SELECT a.operator FROM audit_log a WHERE a.command_id = o.id ORDER BY a.id LIMIT 1),
          CASE WHEN json_valid(o.args) AND json_type(o.args, '$.eventId') = 'text' THEN json_extract(o.args, '$.eventId') END,
          o.status, o.rejection
        FROM outbox o;
      DROP TABLE outbox;
      ALTER TABLE outbox_envelopes RENAME TO outbox;

      ALTER TABLE customer_emails ADD COLUMN deleted_at TEXT;
      ALTER TABLE customer_emails ADD COLUMN server_version INTEGER;
      ALTER TABLE customer_labels ADD COLUMN deleted_at TEXT;
      ALTER TABLE customer_labels ADD COLUMN server_version INTEGER;
    `);
  },
};
