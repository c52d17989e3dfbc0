import type { Migration } from './index.ts';

/**
 * The journal (issue 9 item 8): the envelopes a `box-office journal replay` ran into this store,
 * by envelope id, so a second replay of the same journal (or of one that overlaps it) skips them
 * and changes nothing. Terminal-only: it never syncs. The row is written in the same transaction as
 * the envelope's effects, so an envelope is either applied and recorded or neither.
 */
export const replayedEnvelopes: Migration = {
  version: 10,
  name: 'replayed_envelopes',
  up(db) {
    db.exec(`
      CREATE TABLE replayed_envelopes (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        command TEXT NOT NULL,
        replayed_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
