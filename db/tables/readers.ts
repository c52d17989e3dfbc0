import type { ReaderDriverName } from '../../core/enumerations.ts';

/** A reader configured at this terminal (migration 0003); `options` is the driver's JSON. */
export interface ReaderTable {
  id: string;
  name: string;
  driver: ReaderDriverName;
  path: string | null;
  vendor_id: number | null;
  product_id: number | null;
  options: string;
  created_at: string;
  updated_at: string;
}

export const tableName = 'readers';

export interface PartialDB {
  [tableName]: ReaderTable;
}
