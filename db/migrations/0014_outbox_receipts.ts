import type { Migration } from './index.ts';

/**
 * The server's receipts on the outbox (issue 11, the terminal's push): a command leaves `pending`
 * for the receipt the server answered (`applied`, `applied_with_conflict`, `rejected`) or for
 * `acknowledged` when the server's last seq covers it without a receipt. A rejection keeps its
 * message in `rejection` (staff see it, the row is never dropped), a conflict its conflicts as
 * JSON in `conflicts`. SQLite cannot change a CHECK, so the table is rebuilt; rows keep their status.
 *
 * The partial index finds the first pending command without reading the acknowledged ones: they
 * stay in the outbox (the journal exports them) and outnumber the pending ones by far at a gate
 * that has been online all day.
 */
export const outboxReceipts: Migration = {
  version: 14,
  name: 'outbox_receipts',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_receipts (
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
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acknowledged', 'applied', 'applied_with_conflict', 'rejected')),
        rejection TEXT,
        conflicts TEXT
      ) STRICT;
      INSERT INTO outbox_receipts (id, seq, device_id, name, version, args, hlc, at, operator, event_id, status, rejection)
        SELECT id, seq, device_id, name, version, args, hlc, at, operator, event_id, status, rejection FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_receipts RENAME TO outbox;
      CREATE INDEX outbox_pending ON outbox (seq) WHERE status = 'pending';
    `);
  },
};
