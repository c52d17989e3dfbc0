import type { DB } from '../../db/schema.ts';

/**
 * The server's tables: the synced tables, whose row types are the terminal's (db/schema.ts, one
 * source of truth for both stores), and the server's own (migration 0002), which never reach a terminal.
 */

export interface EventVersionTable {
  /** An event's id, or '' for the rows of no event. */
  scope: string;
  version: number;
}

export interface DeviceTable {
  id: string;
  name: string | null;
  role: 'gate' | 'box_office' | 'supervisor' | 'admin';
  event_id: string | null;
  short_code: string;
  token_hash: string;
  last_seq: number;
  enrolled_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

export interface EnrolmentCodeTable {
  code_hash: string;
  role: DeviceTable['role'];
  event_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  device_id: string | null;
}

export interface ReceiptTable {
  envelope_id: string;
  device_id: string;
  seq: number;
  name: string;
  version: number;
  event_id: string | null;
  operator: string | null;
  hlc: string;
  at: string;
  args: string;
  status: 'applied' | 'applied_with_conflict' | 'rejected';
  code: string | null;
  message: string | null;
  field: string | null;
  /** JSON: the conflicts the body reported, or null. */
  conflicts: string | null;
  received_at: string;
  /**
   * Per scope, the version the push transaction stamped the command's effects with (migration
   * 0005's trigger fills it; null on receipts of before it).
   */
  versions?: Record<string, number> | null;
}

export type ServerDB = DB & {
  event_versions: EventVersionTable;
  devices: DeviceTable;
  enrolment_codes: EnrolmentCodeTable;
  receipts: ReceiptTable;
};
