import type { Generated } from 'kysely';
import type { VerificationStatus } from '../../core/enumerations.ts';
import type { Synced } from './columns.ts';

export interface CustomerTable extends Synced {
  id: string;
  search_rowid: Generated<number>;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  postcode: string | null;
  address: string | null;
  city: string | null;
  country: string | null;
  gender: string | null;
  verification_status: Generated<VerificationStatus>;
  description: string | null;
  web_user_id: string | null;
  total_spent: Generated<number>;
  order_count: Generated<number>;
  sort_name: Generated<string>;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /**
   * Per profile field (column name), the HLC of the command that last wrote it: JSON text,
   * `{"phone": "…"}` (core/customers/last-writer-wins.ts). `{}` on rows no edit stamped yet.
   */
  field_hlcs: Generated<string>;
  /** Set on the tombstone of a customer matched to an earlier one by e-mail: that customer's id. */
  merged_into: string | null;
}

export const tableName = 'customers';

export interface PartialDB {
  [tableName]: CustomerTable;
}
