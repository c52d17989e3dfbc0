import type { Generated } from 'kysely';
import type { Flag, Synced } from './columns.ts';

export interface TicketTypeTable extends Synced {
  id: string;
  event_id: string;
  name: string;
  valid_from: string | null;
  valid_until: string | null;
  max_entries: number | null;
  reentry_allowed: Generated<Flag>;
  gate_ids: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export const tableName = 'ticket_types';

export interface PartialDB {
  [tableName]: TicketTypeTable;
}
