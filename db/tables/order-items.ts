export interface OrderItemTable {
  id: string;
  order_id: string;
  catalog_item_id: string | null;
  description: string;
  quantity: number;
  unit_price: number;
  created_at: string;
  /** Null until the server has the row (DESIGN.md section 4). */
  server_version: number | null;
}

export const tableName = 'order_items';

export interface PartialDB {
  [tableName]: OrderItemTable;
}
