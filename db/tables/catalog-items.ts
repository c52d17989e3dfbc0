import type { CatalogItemKind } from '../../core/enumerations.ts';
import type { Synced } from './columns.ts';

export interface CatalogItemTable extends Synced {
  id: string;
  event_id: string;
  kind: CatalogItemKind;
  name: string;
  price: number;
  ledger_amount: number | null;
  ticket_type_id: string | null;
  capacity: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export const tableName = 'catalog_items';

export interface PartialDB {
  [tableName]: CatalogItemTable;
}
