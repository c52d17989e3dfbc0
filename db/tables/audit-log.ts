import type { Generated } from 'kysely';

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  operator: string | null;
  device_id: string;
  operation: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  command_id: string | null;
}

export const tableName = 'audit_log';

export interface PartialDB {
  [tableName]: AuditLogTable;
}
