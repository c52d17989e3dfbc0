import type { PostgresMigration } from './index.ts';

/**
 * The terminal's migration 0013 on the server (the same columns, so one body writes both stores):
 * per-field HLC stamps of a customer's profile, the customer a merged tombstone names, and the HLC
 * of the last add or removal of an alternative e-mail or a label on a customer.
 */
export const conflictStamps: PostgresMigration = {
  version: 4,
  name: 'conflict_stamps',
  sql: `
    ALTER TABLE customers ADD COLUMN field_hlcs text NOT NULL DEFAULT '{}';
    ALTER TABLE customers ADD COLUMN merged_into text;
    ALTER TABLE customer_emails ADD COLUMN hlc text;
    ALTER TABLE customer_labels ADD COLUMN hlc text;
  `,
};
