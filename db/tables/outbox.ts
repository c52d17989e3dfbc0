import type { Generated } from 'kysely';
import type { OutboxStatus } from '../../core/enumerations.ts';

/** One command waiting for the server: the whole envelope (core/commands/envelope.ts), args as JSON. */
export interface OutboxTable {
  id: string;
  seq: number;
  device_id: string;
  name: string;
  version: number;
  args: string;
  hlc: string;
  at: string;
  operator: string | null;
  event_id: string | null;
  status: Generated<OutboxStatus>;
  /** What staff read about a rejection: the server's message. */
  rejection: string | null;
  /** JSON: the conflicts of an `applied_with_conflict` receipt (core/commands/conflict.ts). */
  conflicts: string | null;
}

export const tableName = 'outbox';

export interface PartialDB {
  [tableName]: OutboxTable;
}
