import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { createTestCore, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk, outboxRows, searchMatches } from '../../test/fixtures/commands.ts';

describe('customers.addAlternativeEmail / removeAlternativeEmail', () => {
  it('adds and removes alternative emails, keeping search in step', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna' });
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: ' Anna.Work@Corp.example ' }));
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'a.berg@home.example' }));
    const stored = () =>
      store
        .all(sql.selectFrom('customer_emails').select('email').where('customer_id', '=', id).where('deleted_at', 'is', null).orderBy('email'))
        .map((row) => row.email);
    expect(stored()).toEqual(['a.berg@home.example', 'anna.work@corp.example']);
    expect(searchMatches(store, 'emails:"corp"*')).toEqual([id]);

    expectOk(await core.invoke('customers.removeAlternativeEmail', { customerId: id, email: 'ANNA.WORK@corp.example' }));
    expect(stored()).toEqual(['a.berg@home.example']);
    expect(searchMatches(store, 'emails:"corp"*')).toEqual([]);
    expect(searchMatches(store, 'emails:"home"*')).toEqual([id]);
    expect(searchMatches(store, 'name:"anna"')).toEqual([id]);
    // The removal is a tombstone that syncs, not a deleted row.
    expect(store.all(sql.selectFrom('customer_emails').select(['email', 'deleted_at']).where('email', '=', 'anna.work@corp.example'))).toEqual([
      { email: 'anna.work@corp.example', deleted_at: expect.stringMatching(/^2026-06-01T/) },
    ]);
    expect(expectOk(await core.invoke('customers.card', { customerId: id, deletedOrders: false })).alternativeEmails).toEqual(['a.berg@home.example']);

    expect(auditRows(store)).toMatchObject([
      { operation: 'customers.addAlternativeEmail@1', entity: 'customer', entity_id: id, before: { alternativeEmails: [] }, after: { alternativeEmails: ['anna.work@corp.example'] } },
      { before: { alternativeEmails: ['anna.work@corp.example'] }, after: { alternativeEmails: ['a.berg@home.example', 'anna.work@corp.example'] } },
      {
        operation: 'customers.removeAlternativeEmail@1',
        before: { alternativeEmails: ['a.berg@home.example', 'anna.work@corp.example'] },
        after: { alternativeEmails: ['a.berg@home.example'] },
      },
    ]);
    expect(outboxRows(store).map((row) => [row.seq, row.name, row.args])).toEqual([
      [1, 'customers.addAlternativeEmail', { customerId: id, email: 'anna.work@corp.example' }],
      [2, 'customers.addAlternativeEmail', { customerId: id, email: 'a.berg@home.example' }],
      [3, 'customers.removeAlternativeEmail', { customerId: id, email: 'anna.work@corp.example' }],
    ]);
  });

  it('adds a removed e-mail again by reviving its tombstone', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'work@example.com' }));
    expectOk(await core.invoke('customers.removeAlternativeEmail', { customerId: id, email: 'work@example.com' }));
    expectError(await core.invoke('customers.removeAlternativeEmail', { customerId: id, email: 'work@example.com' }), 'NOT_FOUND', 'email');
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'work@example.com' }));
    expect(store.all(sql.selectFrom('customer_emails').select(['email', 'deleted_at']))).toEqual([{ email: 'work@example.com', deleted_at: null }]);
    expect(searchMatches(store, 'emails:"work"*')).toEqual([id]);
  });

  it("refuses the customer's own main email and a duplicate with CONFLICT", async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'other@example.com' }));
    const before = snapshot(store);
    expectError(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'Anna@example.com' }), 'CONFLICT', 'email');
    expectError(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'other@example.com' }), 'CONFLICT', 'email');
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses removing an email that is not there, unknown customers and malformed emails', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    const before = snapshot(store);
    expectError(await core.invoke('customers.removeAlternativeEmail', { customerId: id, email: 'anna@example.com' }), 'NOT_FOUND', 'email');
    expectError(await core.invoke('customers.addAlternativeEmail', { customerId: 'missing', email: 'x@example.com' }), 'NOT_FOUND', 'customerId');
    expectError(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'no-at-sign' }), 'VALIDATION', 'email');
    expectError(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: '' }), 'VALIDATION', 'email');
    expect(snapshot(store)).toEqual(before);
  });
});
