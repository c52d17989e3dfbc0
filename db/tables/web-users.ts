import type { Synced } from './columns.ts';

export interface WebUserTable extends Synced {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  created_at: string;
  updated_at: string;
}

export const tableName = 'web_users';

export interface PartialDB {
  [tableName]: WebUserTable;
}
