import type { Migration } from './index.ts';

/**
 * What the conflict rules of DESIGN.md section 6 decide on, carried by the rows they decide about
 * (issue 10 item 4), so a body decides alike on the terminal, on the server and in a rebase:
 *
 * - customers.field_hlcs: per profile field, the HLC of the command that last wrote it, as a JSON
 *   object `{column: hlc}` (core/customers/last-writer-wins.ts). An edit older than a field's stamp
 *   leaves that field alone. Rows written before have no stamps: any edit wins there.
 * - customers.merged_into: a customer created offline with an e-mail another customer already had
 *   is kept as a tombstone that names that customer; commands naming it act on that customer. Not a
 *   foreign key: a snapshot loads customers in primary-key order, the one named may come later.
 * - customer_emails.hlc, customer_labels.hlc: the HLC of the last add or removal of the row, so a
 *   removal on one terminal and an add on another end the same way in either arrival order. Null
 *   on rows written before: any add or removal wins there.
 */
export const conflictStamps: Migration = {
  version: 13,
  name: 'conflict_stamps',
  up(db) {
    db.exec(`
      ALTER TABLE customers ADD COLUMN field_hlcs TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE customers ADD COLUMN merged_into TEXT;
      ALTER TABLE customer_emails ADD COLUMN hlc TEXT;
      ALTER TABLE customer_labels ADD COLUMN hlc TEXT;
    `);
  },
};
