import type { Generated } from 'kysely';
import type { InvalidReason, TicketStatus } from '../../core/enumerations.ts';
import type { Flag, Synced } from './columns.ts';

export interface TicketTable extends Synced {
  id: string;
  event_id: string;
  reference: string;
  ticket_type_id: string;
  customer_id: string | null;
  order_id: string | null;
  status: Generated<TicketStatus>;
  invalid_reason: InvalidReason | null;
  redeemed: Generated<Flag>;
  banned: Generated<Flag>;
  first_scan_at: string | null;
  last_scan_at: string | null;
  last_scan_gate_id: string | null;
  /** Check-in state (migration 0004): admitted entries, and the entry not yet followed by an exit. */
  entry_count: Generated<number>;
  inside_since: string | null;
  inside_gate_id: string | null;
  created_at: string;
  updated_at: string;
}

export const tableName = 'tickets';

export interface PartialDB {
  [tableName]: TicketTable;
}
