import type { Migration } from './index.ts';

/**
 * What DESIGN.md section 6's conflict rules need to decide alike on every store:
 *
 * - tags.activated_hlc: the HLC of the command that last made the tag active. Two terminals that
 *   activate different tags for one customer offline are told apart by it: the latest activation
 *   by HLC wins, whatever order the server receives them in. Null for tags activated before it
 *   existed: they count as older than any stamped activation.
 * - scans.double_admission: 1 on an admitted entry that, among the credential's merged scans in
 *   time order, the rules would have refused (a second gate admitted it offline). The scan is kept
 *   (it happened) and counts for presence; reports count the flag.
 * - alerts: what a conflict rule did, for staff to see on every terminal (it syncs), one row per
 *   rule that fired, its id derived from the envelope of the command that fired it.
 */
export const conflictRules: Migration = {
  version: 12,
  name: 'conflict_rules',
  up(db) {
    db.exec(`
      ALTER TABLE tags ADD COLUMN activated_hlc TEXT;
      ALTER TABLE scans ADD COLUMN double_admission INTEGER NOT NULL DEFAULT 0 CHECK (double_admission IN (0, 1));

      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        event_id TEXT REFERENCES events(id),
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        entity TEXT,
        entity_id TEXT,
        device_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        acknowledged_at TEXT,
        server_version INTEGER
      ) STRICT;
      CREATE INDEX alerts_event ON alerts (event_id, created_at);
    `);
  },
};
