import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { createTestCore, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk, outboxRows, searchMatches } from '../../test/fixtures/commands.ts';

describe('customers.createAccount', () => {
  it('creates a searchable non-verified customer with the given profile', async () => {
    const { store, core } = createTestCore();
    const { customerId } = expectOk(
      await core.invoke('customers.createAccount', {
        email: '  Anna.Berg@Example.com ',
        firstName: 'Anna',
        lastName: 'Berg',
        phone: '+31 6 1234 5678',
        city: 'Utrecht',
        gender: '',
      }),
    );
    const row = store.first(sql.selectFrom('customers').selectAll().where('id', '=', customerId));
    expect(row).toMatchObject({
      email: 'anna.berg@example.com',
      first_name: 'Anna',
      last_name: 'Berg',
      phone: '+31 6 1234 5678',
      city: 'Utrecht',
      gender: null,
      postcode: null,
      verification_status: 'non_verified',
      sort_name: 'berg anna',
      created_at: '2026-06-01T10:00:00.000Z',
    });
    expect(searchMatches(store, '"berg"*')).toEqual([customerId]);
    expect(searchMatches(store, 'emails:"anna.berg"*')).toEqual([customerId]);
    expect(searchMatches(store, 'phone:"316"*')).toEqual([customerId]);

    const [audit] = auditRows(store);
    expect(audit).toMatchObject({
      operator: 'operator-1',
      operation: 'customers.createAccount@1',
      entity: 'customer',
      entity_id: customerId,
      before: null,
      after: { email: 'anna.berg@example.com', firstName: 'Anna', lastName: 'Berg', phone: '+31 6 1234 5678', city: 'Utrecht' },
    });
    expect(outboxRows(store)).toMatchObject([
      { seq: 1, name: 'customers.createAccount', version: 1, args: { email: 'anna.berg@example.com', gender: null } },
    ]);
  });

  it("refuses another customer's main email and changes nothing", async () => {
    const { store, core } = createTestCore();
    insertTestCustomer(store, { email: 'taken@example.com', first_name: 'Tom' });
    const before = snapshot(store);
    const error = expectError(await core.invoke('customers.createAccount', { email: 'TAKEN@example.com' }), 'CONFLICT', 'email');
    expect(error.message).toContain('Tom');
    expect(snapshot(store)).toEqual(before);
  });

  it('allows the email of a deleted customer', async () => {
    const { store, core } = createTestCore();
    const old = insertTestCustomer(store, { email: 'back@example.com' });
    store.run(sql.updateTable('customers').set({ deleted_at: '2026-05-02T00:00:00.000Z' }).where('id', '=', old));
    expectOk(await core.invoke('customers.createAccount', { email: 'back@example.com' }));
  });

  it.each([
    [{}, 'email'],
    [{ email: '' }, 'email'],
    [{ email: 'not-an-email' }, 'email'],
    [{ email: 'a@example.com', firstName: 'x'.repeat(101) }, 'firstName'],
    [{ email: 'a@example.com', phone: '12345' }, 'phone'],
    [{ email: 'a@example.com', phone: '06 1234 abcd' }, 'phone'],
    [{ email: 'a@example.com', postcode: 'x'.repeat(21) }, 'postcode'],
    [{ email: 'a@example.com', address: 'x'.repeat(201) }, 'address'],
    [{ email: 'a@example.com', gender: 'x'.repeat(41) }, 'gender'],
  ])('refuses bad input %j naming %s, changing nothing', async (input, field) => {
    const { store, core } = createTestCore();
    const before = snapshot(store);
    expectError(await core.invoke('customers.createAccount', input as never), 'VALIDATION', field);
    expect(snapshot(store)).toEqual(before);
  });
});
