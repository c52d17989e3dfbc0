import type { Role } from '../../core/operators/roles.ts';
import type { Synced } from './columns.ts';

/** Staff who sign in at a terminal (migration 0008); `name_key` is the trimmed, lower-cased name. */
export interface OperatorTable extends Synced {
  id: string;
  name: string;
  name_key: string;
  role: Role;
  pin_hash: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export const tableName = 'operators';

export interface PartialDB {
  [tableName]: OperatorTable;
}
