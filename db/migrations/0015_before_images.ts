import type { SqliteDatabase } from '../connection.ts';
import { syncedTables, tableColumns } from '../synced-tables.ts';
import type { Migration } from './index.ts';

/**
 * Before-images of the pending commands (DESIGN.md section 6, "Apply on the terminal"): a pull's
 * rebase undoes the effects of the commands the server has not yet sent back in its rows, upserts
 * the server's rows, and runs those commands again on top. Triggers keep the images, the way
 * sqlite.org's "Automatic Undo/Redo Using SQLite" does, so no command body has to know.
 *
 * command_capture holds one row while the runner runs a syncing command (one with a seq) and none
 * otherwise: the triggers on every synced table copy a row's image into before_images only then,
 * keyed by that seq. A pull's upserts, a first load, an import's bulk writes and the fixtures write
 * with the table empty and leave no images. The first image per row per command is kept (INSERT OR
 * IGNORE on the unique key): what the row was before the command touched it; an insert's image is
 * NULL ("absent": undone by deleting the row). Rows are found again by rowid, which every synced
 * table has and an undo runs before anything else moves.
 *
 * The images are JSON objects of the whole row: the triggers name each column, so a later
 * migration that adds a column to a synced table calls `createBeforeImageTriggers` again (the
 * schema test checks every column is named).
 *
 * Commands written before this migration have no images: the terminal treats them as settled
 * (`sync_settled_seq`, sync/terminal/state.ts), so a pull never runs them a second time.
 */
export const beforeImages: Migration = {
  version: 15,
  name: 'before_images',
  up(db) {
    db.exec(`
      CREATE TABLE command_capture (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE before_images (
        id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL,
        table_name TEXT NOT NULL,
        row_id INTEGER NOT NULL,
        image TEXT,
        UNIQUE (seq, table_name, row_id)
      ) STRICT;
      INSERT INTO terminal_state (key, value)
        SELECT 'sync_settled_seq', CAST(max(seq) AS TEXT) FROM outbox HAVING max(seq) IS NOT NULL
        ON CONFLICT (key) DO NOTHING;
    `);
    createBeforeImageTriggers(db);
  },
};

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** (Re)creates the three triggers of every synced table, naming its columns as the schema has them now. */
export function createBeforeImageTriggers(db: SqliteDatabase): void {
  for (const table of syncedTables(db)) {
    const image = `json_object(${tableColumns(db, table)
      .map((column) => `'${column.name}', OLD.${quoted(column.name)}`)
      .join(', ')})`;
    const capture = (rowid: string, value: string) =>
      `INSERT OR IGNORE INTO before_images (seq, table_name, row_id, image) SELECT seq, '${table}', ${rowid}, ${value} FROM command_capture;`;
    db.exec(`
      DROP TRIGGER IF EXISTS ${table}_before_image_insert;
      DROP TRIGGER IF EXISTS ${table}_before_image_update;
      DROP TRIGGER IF EXISTS ${table}_before_image_delete;
      CREATE TRIGGER ${table}_before_image_insert AFTER INSERT ON ${quoted(table)} BEGIN ${capture('NEW.rowid', 'NULL')} END;
      CREATE TRIGGER ${table}_before_image_update AFTER UPDATE ON ${quoted(table)} BEGIN ${capture('OLD.rowid', image)} END;
      CREATE TRIGGER ${table}_before_image_delete AFTER DELETE ON ${quoted(table)} BEGIN ${capture('OLD.rowid', image)} END;
    `);
  }
}
