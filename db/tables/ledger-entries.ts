import type { LedgerKind } from '../../core/enumerations.ts';
import type { Synced } from './columns.ts';

export interface LedgerEntryTable extends Synced {
  id: string;
  customer_id: string;
  event_id: string | null;
  kind: LedgerKind;
  amount: number;
  order_id: string | null;
  reason: string;
  device_id: string;
  command_id: string;
  created_at: string;
}

export const tableName = 'ledger_entries';

export interface PartialDB {
  [tableName]: LedgerEntryTable;
}
