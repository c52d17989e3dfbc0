import type { Migration } from './index.ts';

/**
 * Lookups staff type into (issue 8).
 *
 * Ticket references are looked up exactly first, then case-insensitively (core/tickets/reference.ts):
 * a reference typed or read as `bo-jk4fyo2s9x` still finds `BO-JK4FYO2S9X`. The fallback compares
 * lower(reference), which SQLite and PostgreSQL both have, and tickets_event_reference_folded keeps
 * it one probe per event instead of a read of every ticket (a gate rejecting an unknown code runs
 * it on each scan). SQLite's lower() folds ASCII only, so both sides of the comparison use it.
 *
 * Web users are searched like customers: case and accents ignored ("zoe" finds "Zoë"), by word
 * prefix. web_user_search is an FTS5 index over web_users' names and e-mail (the same tokenizer as
 * customer_search), kept in step by triggers: a terminal-only projection, never synced.
 *
 * Its version is its place in the list (db/migrations/index.ts).
 */
export const lookups: Migration = {
  version: 7,
  name: 'lookups',
  up(db) {
    db.exec(`
      CREATE INDEX tickets_event_reference_folded ON tickets (event_id, lower(reference));

      CREATE VIRTUAL TABLE web_user_search USING fts5(
        first_name, last_name, email,
        content = 'web_users', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      );
      CREATE TRIGGER web_users_search_insert AFTER INSERT ON web_users BEGIN
        INSERT INTO web_user_search (rowid, first_name, last_name, email) VALUES (new.rowid, new.first_name, new.last_name, new.email);
      END;
      CREATE TRIGGER web_users_search_delete AFTER DELETE ON web_users BEGIN
        INSERT INTO web_user_search (web_user_search, rowid, first_name, last_name, email) VALUES ('delete', old.rowid, old.first_name, old.last_name, old.email);
      END;
      CREATE TRIGGER web_users_search_update AFTER UPDATE OF first_name, last_name, email ON web_users BEGIN
        INSERT INTO web_user_search (web_user_search, rowid, first_name, last_name, email) VALUES ('delete', old.rowid, old.first_name, old.last_name, old.email);
        INSERT INTO web_user_search (rowid, first_name, last_name, email) VALUES (new.rowid, new.first_name, new.last_name, new.email);
      END;
      INSERT INTO web_user_search (web_user_search) VALUES ('rebuild');
    `);
  },
};
