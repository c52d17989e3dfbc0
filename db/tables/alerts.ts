import type { Synced } from './columns.ts';

/**
 * What a conflict rule did (DESIGN.md section 6: a tag replaced by a later activation, a double
 * admission), written by the command body that fired the rule, so every terminal receives it by
 * pull and staff see it. The id is derived from that command's envelope. Staff acknowledge it once
 * handled (core/alerts/acknowledge.ts), which syncs like any change.
 */
export interface AlertTable extends Synced {
  id: string;
  event_id: string | null;
  /** The conflict's kind: `tag_replaced`, `double_admission`... */
  kind: string;
  message: string;
  entity: string | null;
  entity_id: string | null;
  /** The device whose command fired the rule. */
  device_id: string;
  created_at: string;
  /** When staff acknowledged it (the acknowledging command's time); null while it waits for them. */
  acknowledged_at: string | null;
  /** The operator who acknowledged it. */
  acknowledged_by: string | null;
  /** The acknowledging command's HLC: of two acknowledgements made offline, the earliest stands. */
  acknowledged_hlc: string | null;
}

export const tableName = 'alerts';

export interface PartialDB {
  [tableName]: AlertTable;
}
