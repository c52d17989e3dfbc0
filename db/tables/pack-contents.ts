import type { Synced } from './columns.ts';

/** One line of what a pack holds: `quantity` units of another catalog item per pack sold. */
export interface PackContentTable extends Synced {
  id: string;
  pack_item_id: string;
  content_item_id: string;
  quantity: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export const tableName = 'pack_contents';

export interface PartialDB {
  [tableName]: PackContentTable;
}
