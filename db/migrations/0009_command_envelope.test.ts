import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { commandEnvelope } from './0009_command_envelope.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0009 (command envelope)', () => {
  it('keeps alternative e-mails and customer labels, live, with room for tombstones', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, commandEnvelope.version - 1);
    db.exec(`
      INSERT INTO customers (id, search_rowid, email, sort_name, created_at, updated_at) VALUES ('k1', 1, 'anna@example.com', 'anna', '${at}', '${at}');
      INSERT INTO customer_emails (customer_id, email, created_at) VALUES ('k1', 'work@example.com', '${at}');
      INSERT INTO labels (id, name, created_at, updated_at) VALUES ('l1', 'VIP', '${at}', '${at}');
      INSERT INTO customer_labels (customer_id, label_id, created_at) VALUES ('k1', 'l1', '${at}');
    `);
    migrateToLatest(db, commandEnvelope.version);
    expect(db.prepare('SELECT * FROM customer_emails').all()).toEqual([
      { customer_id: 'k1', email: 'work@example.com', created_at: at, deleted_at: null, server_version: null },
    ]);
    expect(db.prepare('SELECT * FROM customer_labels').all()).toEqual([
      { customer_id: 'k1', label_id: 'l1', created_at: at, deleted_at: null, server_version: null },
    ]);
  });

  it('keeps the waiting commands, in order, with their device, operator and event filled in', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, commandEnvelope.version - 1);
    db.exec(`
      INSERT INTO terminal_state (key, value) VALUES ('device_id', 'device-1');
      INSERT INTO outbox (id, seq, name, version, args, hlc, device_time, status, rejection) VALUES
        ('c1', 1, 'tickets.setBanned', 1, '{"ticketId":"t1","banned":true}', '001780000000000:000000:device-1', '${at}', 'pending', NULL),
        ('c2', 2, 'orders.create', 1, '{"eventId":"e1","customerId":"k1"}', '001780000000001:000000:device-1', '${at}', 'rejected', 'CONFLICT: sold out');
      INSERT INTO audit_log (at, operator, device_id, operation, entity, entity_id, command_id) VALUES
        ('${at}', 'Ana', 'device-1', 'tickets.setBanned@1', 'ticket', 't1', 'c1');
    `);
    migrateToLatest(db, commandEnvelope.version);
    expect(db.prepare('SELECT * FROM outbox ORDER BY seq').all()).toEqual([
      {
        id: 'c1', seq: 1, device_id: 'device-1', name: 'tickets.setBanned', version: 1, args: '{"ticketId":"t1","banned":true}',
        hlc: '001780000000000:000000:device-1', at, operator: 'Ana', event_id: null, status: 'pending', rejection: null,
      },
      {
        id: 'c2', seq: 2, device_id: 'device-1', name: 'orders.create', version: 1, args: '{"eventId":"e1","customerId":"k1"}',
        hlc: '001780000000001:000000:device-1', at, operator: null, event_id: 'e1', status: 'rejected', rejection: 'CONFLICT: sold out',
      },
    ]);
    expect(() => db.exec(`INSERT INTO outbox (id, seq, device_id, name, version, args, hlc, at) VALUES ('c3', 2, 'd', 'n', 1, '{}', 'h', '${at}')`)).toThrow(/UNIQUE/);
  });
});
