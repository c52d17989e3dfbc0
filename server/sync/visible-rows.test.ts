import { describe, expect, it } from 'vitest';
import type { Device } from '../devices/enrolment.ts';
import type { PulledTable } from './pulled-tables.ts';
import { followedScopes, mayFollow, visibleColumns, visibleRows, visibleTables } from './visible-rows.ts';

/** What a device receives, by its role and its event (DESIGN.md section 6a). */
const customer = { id: 'c1', first_name: 'Anna', last_name: 'Berg', email: 'anna@example.com', phone: '+31 6', address: 'Kade 1', postcode: '1011 AA', city: 'Amsterdam', country: 'NL', web_user_id: 'w1' };

const device = (values: Partial<Device>): Device => ({
  id: 'd1',
  name: null,
  role: 'gate',
  event_id: null,
  short_code: 'G1',
  token_hash: 'x',
  last_seq: 0,
  enrolled_at: '2026-07-10T12:00:00.000Z',
  last_seen_at: null,
  revoked_at: null,
  ...values,
});

describe('visible rows', () => {
  it('give a gate a customer’s name but no e-mail, phone, address or web user link', () => {
    expect(visibleRows('gate', 'customers', [customer])).toEqual([
      { ...customer, email: null, phone: null, address: null, postcode: null, city: null, web_user_id: null },
    ]);
    expect(customer.email).toBe('anna@example.com');
  });

  it('leave a gate’s snapshot pages without the customer’s e-mail, phone, address and web user columns', () => {
    const customers: PulledTable = { name: 'customers', scope: 'none', key: ['id'], columns: Object.keys(customer) };
    expect(visibleColumns('gate', customers)).toEqual(['id', 'first_name', 'last_name', 'country']);
    expect(visibleColumns('box_office', customers)).toEqual(Object.keys(customer));
    expect(visibleColumns('gate', { ...customers, name: 'web_users' })).toEqual([]);
  });

  it('give a gate no alternative e-mails and no web users; every other role everything', () => {
    const tables: PulledTable[] = ['customers', 'customer_emails', 'web_users', 'operators'].map((name) => ({ name, scope: 'none', key: ['id'], columns: ['id'] }));
    expect(visibleTables('gate', tables).map((table) => table.name)).toEqual(['customers', 'operators']);
    expect(visibleRows('gate', 'customer_emails', [{ customer_id: 'c1', email: 'a@example.com' }])).toEqual([]);
    for (const role of ['box_office', 'supervisor', 'admin'] as const) {
      expect(visibleTables(role, tables)).toEqual(tables);
      expect(visibleRows(role, 'customers', [customer])).toEqual([customer]);
    }
    expect(visibleRows('gate', 'operators', [{ id: 'o1', pin_hash: 'scrypt$…' }])).toEqual([{ id: 'o1', pin_hash: 'scrypt$…' }]);
  });

  it('let an event’s device follow its event and the rows of no event, and a device of every event any event', () => {
    const gate = device({ event_id: 'e1' });
    expect(followedScopes(gate, [], (scope) => scope)).toEqual(['', 'e1']);
    expect(followedScopes(gate, ['e1', ''], (scope) => scope)).toEqual(['', 'e1']);
    expect(() => followedScopes(gate, ['e2'], (scope) => `cursors.${scope}`)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', field: 'cursors.e2' }));
    expect([mayFollow(gate, ''), mayFollow(gate, 'e1'), mayFollow(gate, 'e2')]).toEqual([true, true, false]);
    const everywhere = device({ role: 'admin' });
    expect(followedScopes(everywhere, ['e2', 'e1'], (scope) => scope)).toEqual(['', 'e1', 'e2']);
    expect(mayFollow(everywhere, 'e9')).toBe(true);
  });
});
