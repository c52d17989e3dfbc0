import type { Migration } from './index.ts';

/**
 * Ticket references are looked up exactly first, then case-insensitively (core/tickets/reference.ts):
 * a reference typed or read as `bo-jk4fyo2s9x` still finds `BO-JK4FYO2S9X`. The fallback compares
 * lower(reference), which SQLite and PostgreSQL both have, and this index keeps it one probe per
 * event instead of a read of every ticket (a gate rejecting an unknown code runs it on each scan).
 * SQLite's lower() folds ASCII only, so both sides of the comparison go through it.
 *
 * Numbered 0007 for issue 8; its version is its place in the list below (see db/migrations/index.ts).
 */
export const ticketsReferenceFolded: Migration = {
  version: 6,
  name: 'tickets_reference_folded',
  up(db) {
    db.exec('CREATE INDEX tickets_event_reference_folded ON tickets (event_id, lower(reference));');
  },
};
