import type { Generated } from 'kysely';
import type { OrderChannel, OrderStatus } from '../../core/enumerations.ts';
import type { Synced } from './columns.ts';

export interface OrderTable extends Synced {
  id: string;
  event_id: string;
  number: string;
  channel: OrderChannel;
  customer_id: string | null;
  status: OrderStatus;
  total: Generated<number>;
  amount_paid: Generated<number>;
  flags: Generated<string>;
  note: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export const tableName = 'orders';

export interface PartialDB {
  [tableName]: OrderTable;
}
