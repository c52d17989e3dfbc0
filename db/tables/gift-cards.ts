import type { Generated } from 'kysely';
import type { GiftCardStatus } from '../../core/enumerations.ts';
import type { Synced } from './columns.ts';

/** A gift card issued by a sale: its code and value (minor units of the event's currency). */
export interface GiftCardTable extends Synced {
  id: string;
  code: string;
  event_id: string;
  catalog_item_id: string | null;
  order_id: string;
  customer_id: string | null;
  value: number;
  status: Generated<GiftCardStatus>;
  created_at: string;
  updated_at: string;
}

export const tableName = 'gift_cards';

export interface PartialDB {
  [tableName]: GiftCardTable;
}
