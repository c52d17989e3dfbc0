import { describe, expect, it } from 'vitest';
import * as enumerations from '../core/enumerations.ts';
import { roles } from '../core/operators/roles.ts';
import { openDatabase } from './connection.ts';

// Migrations are frozen history, so their CHECK lists spell the values out; this keeps the one
// definition of each enumeration (core/enumerations.ts) and the migrated tables in step.
const checked: [table: string, column: string, values: readonly string[]][] = [
  ['customers', 'verification_status', enumerations.verificationStatuses],
  ['catalog_items', 'kind', enumerations.catalogItemKinds],
  ['orders', 'channel', enumerations.orderChannels],
  ['orders', 'status', enumerations.orderStatuses],
  ['tickets', 'status', enumerations.ticketStatuses],
  ['tickets', 'invalid_reason', enumerations.invalidReasons],
  ['scans', 'direction', enumerations.scanDirections],
  ['scans', 'verdict', enumerations.scanVerdicts],
  ['ledger_entries', 'kind', enumerations.ledgerKinds],
  ['readers', 'driver', enumerations.readerDriverNames],
  ['gift_cards', 'status', enumerations.giftCardStatuses],
  ['operators', 'role', roles],
  ['outbox', 'status', enumerations.outboxStatuses],
];

describe('the enumerations and the CHECK constraints of the migrated tables', () => {
  const db = openDatabase(':memory:');
  for (const [table, column, values] of checked) {
    it(`${table}.${column} allows exactly ${values.join(', ')}`, () => {
      const { sql } = db.prepare<[string], { sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) ?? { sql: '' };
      const list = new RegExp(`CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(sql)?.[1] ?? '';
      expect(list.split(',').map((value) => value.trim().replace(/^'|'$/g, ''))).toEqual([...values]);
    });
  }
});
