import type { Generated } from 'kysely';
import type { Synced } from './columns.ts';

export interface EventTable extends Synced {
  id: string;
  name: string;
  starts_at: string | null;
  ends_at: string | null;
  time_zone: Generated<string>;
  currency: Generated<string>;
  created_at: string;
  updated_at: string;
}

export const tableName = 'events';

export interface PartialDB {
  [tableName]: EventTable;
}
