/** An envelope a journal replay ran into this store (migration 0010); terminal-only, never synced. */
export interface ReplayedEnvelopeTable {
  id: string;
  device_id: string;
  seq: number;
  /** `name@version`. */
  command: string;
  replayed_at: string;
}

export const tableName = 'replayed_envelopes';

export interface PartialDB {
  [tableName]: ReplayedEnvelopeTable;
}
