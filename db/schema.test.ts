import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';

// The kysely row types in schema.ts are written by hand; this keeps them honest against the
// migrations, which define the tables.
import type { DB } from './schema.ts';

const expectedColumns: { [T in keyof DB]: (keyof DB[T])[] } = {
  terminal_state: ['key', 'value'],
  events: ['id', 'name', 'starts_at', 'ends_at', 'time_zone', 'currency', 'created_at', 'updated_at', 'server_version'],
  gates: ['id', 'event_id', 'name', 'zone', 'created_at', 'updated_at', 'server_version', 'deleted_at'],
  ticket_types: ['id', 'event_id', 'name', 'valid_from', 'valid_until', 'max_entries', 'reentry_allowed', 'gate_ids', 'created_at', 'updated_at', 'server_version', 'deleted_at'],
  web_users: ['id', 'email', 'first_name', 'last_name', 'phone', 'created_at', 'updated_at', 'server_version'],
  customers: ['id', 'search_rowid', 'email', 'first_name', 'last_name', 'phone', 'postcode', 'address', 'city', 'country', 'gender', 'verification_status', 'description', 'web_user_id', 'total_spent', 'order_count', 'sort_name', 'created_at', 'updated_at', 'server_version', 'deleted_at', 'field_hlcs', 'merged_into'],
  customer_search: ['name', 'emails', 'phone'],
  customer_emails: ['customer_id', 'email', 'created_at', 'deleted_at', 'server_version', 'hlc'],
  labels: ['id', 'name', 'color', 'created_at', 'updated_at', 'server_version'],
  customer_labels: ['customer_id', 'label_id', 'created_at', 'deleted_at', 'server_version', 'hlc'],
  catalog_items: ['id', 'event_id', 'kind', 'name', 'price', 'ledger_amount', 'ticket_type_id', 'capacity', 'created_at', 'updated_at', 'server_version', 'deleted_at'],
  pack_contents: ['id', 'pack_item_id', 'content_item_id', 'quantity', 'created_at', 'updated_at', 'server_version', 'deleted_at'],
  gift_cards: ['id', 'code', 'event_id', 'catalog_item_id', 'order_id', 'customer_id', 'value', 'status', 'created_at', 'updated_at', 'server_version'],
  orders: ['id', 'event_id', 'number', 'channel', 'customer_id', 'status', 'total', 'amount_paid', 'flags', 'note', 'created_at', 'updated_at', 'server_version', 'deleted_at'],
  order_items: ['id', 'order_id', 'catalog_item_id', 'description', 'quantity', 'unit_price', 'created_at', 'server_version'],
  order_status_history: ['id', 'order_id', 'status', 'note', 'operator', 'device_id', 'at', 'server_version'],
  tickets: ['id', 'event_id', 'reference', 'ticket_type_id', 'customer_id', 'order_id', 'status', 'invalid_reason', 'redeemed', 'banned', 'first_scan_at', 'last_scan_at', 'last_scan_gate_id', 'entry_count', 'inside_since', 'inside_gate_id', 'created_at', 'updated_at', 'server_version'],
  tags: ['id', 'event_id', 'uid', 'ticket_type_id', 'customer_id', 'ticket_id', 'active', 'banned', 'inactive_reason', 'entry_count', 'inside_since', 'inside_gate_id', 'activated_hlc', 'created_at', 'updated_at', 'server_version'],
  scans: ['id', 'event_id', 'code', 'ticket_id', 'tag_id', 'gate_id', 'direction', 'verdict', 'reason', 'device_id', 'operator', 'scanned_at', 'undone_at', 'double_admission', 'server_version'],
  ledger_entries: ['id', 'customer_id', 'event_id', 'kind', 'amount', 'order_id', 'reason', 'device_id', 'command_id', 'created_at', 'server_version'],
  audit_log: ['id', 'at', 'operator', 'device_id', 'operation', 'entity', 'entity_id', 'before', 'after', 'command_id'],
  outbox: ['id', 'seq', 'device_id', 'name', 'version', 'args', 'hlc', 'at', 'operator', 'event_id', 'status', 'rejection', 'conflicts'],
  operators: ['id', 'name', 'name_key', 'role', 'pin_hash', 'created_at', 'updated_at', 'server_version', 'deleted_at'],
  operator_sign_in_failures: ['name_key', 'failures', 'blocked_until'],
  readers: ['id', 'name', 'driver', 'path', 'vendor_id', 'product_id', 'options', 'created_at', 'updated_at'],
  replayed_envelopes: ['id', 'device_id', 'seq', 'command', 'replayed_at'],
  alerts: ['id', 'event_id', 'kind', 'message', 'entity', 'entity_id', 'device_id', 'created_at', 'acknowledged_at', 'server_version', 'acknowledged_by', 'acknowledged_hlc'],
};

describe('db/schema.ts', () => {
  const db = openDatabase(':memory:');
  for (const [table, columns] of Object.entries(expectedColumns)) {
    it(`matches the migrated table ${table}`, () => {
      const actual = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name);
      expect(actual.sort()).toEqual([...columns].map(String).sort());
    });
  }
});
