import type { ScanDirection, ScanVerdict } from '../../core/enumerations.ts';
import type { Generated } from 'kysely';
import type { Flag, Synced } from './columns.ts';

export interface ScanTable extends Synced {
  id: string;
  event_id: string;
  code: string;
  ticket_id: string | null;
  tag_id: string | null;
  gate_id: string | null;
  direction: ScanDirection;
  verdict: ScanVerdict;
  reason: string;
  device_id: string;
  operator: string | null;
  scanned_at: string;
  /** Set when the terminal that admitted undid the admission (the scan stays, it no longer counts). */
  undone_at: string | null;
  /**
   * 1 on an admitted entry that the rules would have refused among the credential's merged scans in
   * time order (a second gate admitted it offline): kept, counted, flagged on reports.
   */
  double_admission: Generated<Flag>;
}

export const tableName = 'scans';

export interface PartialDB {
  [tableName]: ScanTable;
}
