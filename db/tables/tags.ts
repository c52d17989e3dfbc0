import type { Generated } from 'kysely';
import type { Flag, Synced } from './columns.ts';

export interface TagTable extends Synced {
  id: string;
  event_id: string;
  uid: string;
  ticket_type_id: string;
  customer_id: string;
  ticket_id: string | null;
  active: Generated<Flag>;
  banned: Generated<Flag>;
  inactive_reason: string | null;
  entry_count: Generated<number>;
  inside_since: string | null;
  inside_gate_id: string | null;
  /** The HLC of the command that last made the tag active (DESIGN.md section 6: the latest activation wins); null before migration 0012. */
  activated_hlc: string | null;
  created_at: string;
  updated_at: string;
}

export const tableName = 'tags';

export interface PartialDB {
  [tableName]: TagTable;
}
