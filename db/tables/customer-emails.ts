import type { Synced } from './columns.ts';

/** Tombstoned, never deleted (migration 0009): `deleted_at` marks an alternative e-mail removed. */
export interface CustomerEmailTable extends Synced {
  customer_id: string;
  email: string;
  created_at: string;
  deleted_at: string | null;
  /** The HLC of the last add or removal (migration 0013), null on rows written before it. */
  hlc: string | null;
}

export const tableName = 'customer_emails';

export interface PartialDB {
  [tableName]: CustomerEmailTable;
}
