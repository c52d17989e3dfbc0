import type { Migration } from './index.ts';

/**
 * Operators and their roles (issue 9, DESIGN.md section 6a).
 *
 * operators: staff who sign in at a terminal with a PIN, stored as a salted scrypt hash
 * (core/station/pin-hash.ts). Synced rows (server_version, a deleted_at tombstone): operators come
 * from the server once terminals sync. Names are unique case-insensitively among the operators not
 * deleted (name_key is the trimmed, lower-cased name), so "Ana" and "ana" are one person.
 *
 * operator_sign_in_failures: this terminal's wrong-PIN count per typed name (core/operators/
 * lockout.ts) and until when sign-in under that name is refused. In the store, not in memory, so
 * restarting the app does not give a guesser fresh tries. Terminal-only: never synced.
 *
 * Its version is its place in the list (db/migrations/index.ts).
 */
export const operators: Migration = {
  version: 8,
  name: 'operators',
  up(db) {
    db.exec(`
      CREATE TABLE operators (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('steward', 'box_office', 'supervisor', 'admin')),
        pin_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        server_version INTEGER,
        deleted_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX operators_name_key ON operators (name_key) WHERE deleted_at IS NULL;

      CREATE TABLE operator_sign_in_failures (
        name_key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL CHECK (failures > 0),
        blocked_until TEXT
      ) STRICT;
    `);
  },
};
