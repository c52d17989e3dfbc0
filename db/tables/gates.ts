import type { Synced } from './columns.ts';

export interface GateTable extends Synced {
  id: string;
  event_id: string;
  name: string;
  zone: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export const tableName = 'gates';

export interface PartialDB {
  [tableName]: GateTable;
}
