import type { Synced } from './columns.ts';

export interface LabelTable extends Synced {
  id: string;
  name: string;
  color: string | null;
  created_at: string;
  updated_at: string;
}

export const tableName = 'labels';

export interface PartialDB {
  [tableName]: LabelTable;
}
