import type { PostgresMigration } from './index.ts';

/**
 * The terminal's migration 0012 on the server (the conflict rules of DESIGN.md section 6): the HLC
 * of a tag's activation, the double-admission flag of a scan, and the synced `alerts` table,
 * stamped with its event's version like every synced row and read by pulls per event.
 */
export const conflictRules: PostgresMigration = {
  version: 3,
  name: 'conflict_rules',
  sql: `
    ALTER TABLE tags ADD COLUMN activated_hlc text;
    ALTER TABLE scans ADD COLUMN double_admission integer NOT NULL DEFAULT 0 CHECK (double_admission IN (0, 1));

    CREATE TABLE alerts (
      id text PRIMARY KEY,
      event_id text REFERENCES events (id),
      kind text NOT NULL,
      message text NOT NULL,
      entity text,
      entity_id text,
      device_id text NOT NULL,
      created_at text NOT NULL,
      acknowledged_at text,
      server_version bigint
    );
    CREATE TRIGGER alerts_server_version BEFORE INSERT OR UPDATE ON alerts FOR EACH ROW EXECUTE FUNCTION stamp_server_version('event_id');
    CREATE INDEX alerts_version ON alerts (event_id, server_version);
  `,
};
