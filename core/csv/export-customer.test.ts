import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import {
  createTestCore,
  insertEvent,
  insertTag,
  insertTestCustomer,
  insertTicket,
  insertTicketType,
  snapshot,
} from '../../test/fixtures/store.ts';

const at = '2026-05-02T08:30:15.123Z';

function setup() {
  const { store, core } = createTestCore();
  const eventId = insertEvent(store, { name: 'Summer Festival' });
  const weekend = insertTicketType(store, eventId, 'Weekend');
  const customerId = insertTestCustomer(store, {
    email: 'zoe@example.com',
    first_name: '+1 Zoë',
    last_name: '-2 Müller',
    phone: '+31 6 1234 5678',
    postcode: '1012 AB',
    address: '\tTabbed street 1',
    city: '@SUM(A1:A9)',
    country: 'NL',
    gender: '\rfemale',
  });
  store.run(
    sql
      .updateTable('customers')
      .set({ verification_status: 'verified', description: "=cmd|' /C calc'!A0", created_at: at })
      .where('id', '=', customerId),
  );
  store.run(sql.insertInto('web_users').values({ id: 'web-1', email: 'zoe.web@example.com', first_name: null, last_name: null, phone: null, created_at: at, updated_at: at, server_version: null }));
  store.run(sql.updateTable('customers').set({ web_user_id: 'web-1' }).where('id', '=', customerId));
  for (const [id, name] of [['label-vip', 'VIP'], ['label-press', 'Press']] as const) {
    store.run(sql.insertInto('labels').values({ id, name, color: null, created_at: at, updated_at: at, server_version: null }));
    store.run(sql.insertInto('customer_labels').values({ customer_id: customerId, label_id: id, created_at: at }));
  }
  for (const email of ['zoe.work@example.com', 'zoe.old@example.com']) {
    store.run(sql.insertInto('customer_emails').values({ customer_id: customerId, email, created_at: at }));
  }
  store.run(sql.insertInto('gates').values({ id: 'gate-1', event_id: eventId, name: 'North gate', zone: null, created_at: at, updated_at: at, server_version: null, deleted_at: null }));
  const scanned = insertTicket(store, { eventId, ticketTypeId: weekend, reference: 'TCK-0001', customerId, redeemed: true });
  store.run(
    sql
      .updateTable('tickets')
      .set({ first_scan_at: '2026-07-10T11:00:00.000Z', last_scan_at: '2026-07-10T18:45:30.000Z', last_scan_gate_id: 'gate-1' })
      .where('id', '=', scanned),
  );
  insertTicket(store, { eventId, ticketTypeId: weekend, reference: '=TCK-0002', customerId, invalidReason: 'refunded', banned: true });
  insertTag(store, { eventId, ticketTypeId: weekend, customerId, uid: '04A224B2C33F80', active: true });
  insertTag(store, { eventId, ticketTypeId: weekend, customerId, uid: '04A224B2C33F81', banned: true });
  return { store, core, customerId };
}

/** The file's rows as a spreadsheet would read them (BOM dropped, quotes undone). */
function readCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
}

describe('export.customerCsv', () => {
  it('writes the profile, tickets and tags sections with a BOM and CRLF line ends', async () => {
    const { core, customerId } = setup();
    const result = await core.invoke('export.customerCsv', { customerId });
    if (!result.ok) throw new Error(result.error.message);
    const { csv, fileName } = result.value;

    expect(fileName).toBe('customer-1-zoe-2-muller.csv');
    expect(csv.startsWith('\uFEFFCustomer\r\n')).toBe(true);
    // Outside quoted cells every line ends in CRLF, never a bare LF.
    const unquoted = csv.replace(/"[^"]*"/g, '');
    expect(unquoted).toContain('\r\n');
    expect(unquoted).not.toMatch(/[^\r]\n/);

    const rows = readCsv(csv);
    const blank = rows.flatMap((row, index) => (row.length === 1 && row[0] === '' ? [index] : []));
    expect(blank).toHaveLength(2);
    const profile = Object.fromEntries(rows.slice(2, blank[0]).map((row) => [row[0], row[1]]));
    expect(rows[0]).toEqual(['Customer']);
    expect(rows[1]).toEqual(['Field', 'Value']);
    expect(profile).toEqual({
      'Customer id': customerId,
      Email: 'zoe@example.com',
      'First name': "'+1 Zoë",
      'Last name': "'-2 Müller",
      Phone: "'+31 6 1234 5678",
      Postcode: '1012 AB',
      Address: "'\tTabbed street 1",
      City: "'@SUM(A1:A9)",
      Country: 'NL',
      Gender: "'\rfemale",
      'Verification status': 'Verified',
      'Created (UTC)': '2026-05-02 08:30:15',
      Description: "'=cmd|' /C calc'!A0",
      Labels: 'Press; VIP',
      'Alternative emails': 'zoe.old@example.com; zoe.work@example.com',
      'Web user email': 'zoe.web@example.com',
    });

    const tickets = rows.slice(blank[0]! + 1, blank[1]);
    expect(tickets).toEqual([
      ['Tickets'],
      ['Event', 'Reference', 'Ticket type', 'Status', 'Invalid reason', 'Redeemed', 'Banned', 'Last scan (UTC)', 'Last scan gate'],
      ['Summer Festival', "'=TCK-0002", 'Weekend', 'Invalid', 'refunded', 'No', 'Yes', '', ''],
      ['Summer Festival', 'TCK-0001', 'Weekend', 'Valid', '', 'Yes', 'No', '2026-07-10 18:45:30', 'North gate'],
    ]);
    expect(rows.slice(blank[1]! + 1)).toEqual([
      ['Tags'],
      ['Event', 'UID', 'Ticket type', 'Active', 'Banned'],
      ['Summer Festival', '04A224B2C33F80', 'Weekend', 'Yes', 'No'],
      ['Summer Festival', '04A224B2C33F81', 'Weekend', 'No', 'Yes'],
    ]);
  });

  it('writes empty sections and an id-based file name for an anonymous customer', async () => {
    const { store, core } = createTestCore();
    insertEvent(store);
    const customerId = insertTestCustomer(store, {});
    const result = await core.invoke('export.customerCsv', { customerId });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.fileName).toBe(`customer-${customerId}.csv`);
    const rows = readCsv(result.value.csv);
    expect(rows.slice(-6)).toEqual([
      [''],
      ['Tickets'],
      ['Event', 'Reference', 'Ticket type', 'Status', 'Invalid reason', 'Redeemed', 'Banned', 'Last scan (UTC)', 'Last scan gate'],
      [''],
      ['Tags'],
      ['Event', 'UID', 'Ticket type', 'Active', 'Banned'],
    ]);
  });

  it('answers NOT_FOUND on customerId for an unknown or deleted customer, and writes nothing', async () => {
    const { store, core, customerId } = setup();
    store.run(sql.updateTable('customers').set({ deleted_at: at }).where('id', '=', customerId));
    const before = snapshot(store);
    for (const id of ['no-such-customer', customerId]) {
      const result = await core.invoke('export.customerCsv', { customerId: id });
      expect(result).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'This customer is not on this terminal', field: 'customerId' } });
    }
    const empty = await core.invoke('export.customerCsv', { customerId: '' });
    expect(empty.ok ? undefined : empty.error.field).toBe('customerId');
    expect(snapshot(store)).toEqual(before);
  });
});
