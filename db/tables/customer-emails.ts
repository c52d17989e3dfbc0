import type { Synced } from './columns.ts';

/** Tombstoned, never deleted (migration 0009): `deleted_at` marks an alternative e-mail removed. */
export interface CustomerEmailTable extends Synced {
  customer_id: string;
  email: string;
  created_at: string;
  deleted_at: string | null;
}

export const tableName = 'customer_emails';

export interface PartialDB {
  [tableName]: CustomerEmailTable;
}
