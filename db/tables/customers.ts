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
}

export const tableName = 'customers';

export interface PartialDB {
  [tableName]: CustomerTable;
}
