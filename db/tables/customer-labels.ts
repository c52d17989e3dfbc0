import type { Synced } from './columns.ts';

/** Tombstoned, never deleted (migration 0009): `deleted_at` marks a label taken off the customer. */
export interface CustomerLabelTable extends Synced {
  customer_id: string;
  label_id: string;
  created_at: string;
  deleted_at: string | null;
  /** The HLC of the last add or removal (migration 0013), null on rows written before it. */
  hlc: string | null;
}

export const tableName = 'customer_labels';

export interface PartialDB {
  [tableName]: CustomerLabelTable;
}
