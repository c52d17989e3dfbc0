export interface OrderStatusHistoryTable {
  id: string;
  order_id: string;
  status: string;
  note: string | null;
  operator: string | null;
  device_id: string | null;
  at: string;
  /** Null until the server has the row (DESIGN.md section 4). */
  server_version: number | null;
}

export const tableName = 'order_status_history';

export interface PartialDB {
  [tableName]: OrderStatusHistoryTable;
}
