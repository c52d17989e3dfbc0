import type { SqliteDatabase } from '../connection.ts';
import type { Migration } from './index.ts';

/**
 * Check-in state per credential (DESIGN.md section 7), kept on the ticket and tag rows so a verdict
 * reads it with the credential's own primary-key lookup instead of aggregating its scans:
 * - entry_count: admitted entry scans (not undone), for "max entries";
 * - inside_since / inside_gate_id: the admitted entry that has no exit after it (null = outside),
 *   for "already inside" and "re-entry after exit", and, through the partial indexes, the
 *   "inside now" counts per gate without reading the scans.
 * scans.undone_at marks an admission undone by its terminal (a turnstile that did not turn): the
 * scan stays, it just no longer counts. tags_ticket finds the wristband a ticket was exchanged for.
 * Existing scans are folded into the new columns so an upgraded store keeps its check-in state.
 */
export const checkinPresence: Migration = {
  version: 4,
  name: 'checkin_presence',
  up(db) {
    db.exec(`
      ALTER TABLE tickets ADD COLUMN entry_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tickets ADD COLUMN inside_since TEXT;
      ALTER TABLE tickets ADD COLUMN inside_gate_id TEXT;
      ALTER TABLE tags ADD COLUMN entry_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tags ADD COLUMN inside_since TEXT;
      ALTER TABLE tags ADD COLUMN inside_gate_id TEXT;
      ALTER TABLE scans ADD COLUMN undone_at TEXT;
      CREATE INDEX tickets_inside ON tickets (event_id, inside_gate_id, inside_since) WHERE inside_since IS NOT NULL;
      CREATE INDEX tags_inside ON tags (event_id, inside_gate_id, inside_since) WHERE inside_since IS NOT NULL;
      CREATE INDEX tags_ticket ON tags (ticket_id) WHERE ticket_id IS NOT NULL;
    `);
    foldScansIntoPresence(db);
  },
};

/**
 * Sets every scanned ticket's and tag's check-in state from its admitted, not undone scans. For
 * writers that load scans in bulk without the scan command (this migration, a synthetic seed).
 */
export function foldScansIntoPresence(db: SqliteDatabase): void {
  db.exec(`
      -- max() makes SQLite take direction and gate_id from the latest admitted scan of each group.
      UPDATE tickets
        SET entry_count = state.entries,
            inside_since = CASE WHEN state.direction = 'entry' THEN state.last_at END,
            inside_gate_id = CASE WHEN state.direction = 'entry' THEN state.gate_id END
        FROM (
          SELECT ticket_id, max(scanned_at) AS last_at, direction, gate_id, sum(direction = 'entry') AS entries
          FROM scans WHERE ticket_id IS NOT NULL AND tag_id IS NULL AND verdict = 'admitted' AND undone_at IS NULL
          GROUP BY ticket_id
        ) AS state
        WHERE tickets.id = state.ticket_id;
      UPDATE tags
        SET entry_count = state.entries,
            inside_since = CASE WHEN state.direction = 'entry' THEN state.last_at END,
            inside_gate_id = CASE WHEN state.direction = 'entry' THEN state.gate_id END
        FROM (
          SELECT tag_id, max(scanned_at) AS last_at, direction, gate_id, sum(direction = 'entry') AS entries
          FROM scans WHERE tag_id IS NOT NULL AND verdict = 'admitted' AND undone_at IS NULL
          GROUP BY tag_id
        ) AS state
        WHERE tags.id = state.tag_id;

  `);
}
