import { anonymousSortName } from './search-index.ts';
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { createTestCore, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk, outboxRows, searchMatches } from '../../test/fixtures/commands.ts';
import type { Store } from '../../db/store.ts';

function customer(store: Store, id: string) {
  return store.first(sql.selectFrom('customers').selectAll().where('id', '=', id))!;
}

describe('customers.update', () => {
  it('changes only the fields given, audits them and reindexes search', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna', last_name: 'Berg', city: 'Delft' });
    expectOk(await core.invoke('customers.update', { customerId: id, lastName: 'Bergström', phone: '(030) 123-4567' }));

    expect(customer(store, id)).toMatchObject({
      email: 'anna@example.com',
      first_name: 'Anna',
      last_name: 'Bergström',
      phone: '(030) 123-4567',
      city: 'Delft',
      sort_name: 'bergstrom anna',
      updated_at: '2026-06-01T10:00:00.000Z',
    });
    expect(searchMatches(store, 'name:"bergstrom"')).toEqual([id]);
    expect(searchMatches(store, 'name:"berg"')).toEqual([]);
    expect(searchMatches(store, 'phone:"0301"*')).toEqual([id]);
    expect(auditRows(store)).toMatchObject([
      {
        operator: 'operator-1',
        operation: 'customers.update@1',
        entity: 'customer',
        entity_id: id,
        before: { lastName: 'Berg', phone: null },
        after: { lastName: 'Bergström', phone: '(030) 123-4567' },
      },
    ]);
    expect(outboxRows(store)).toMatchObject([{ seq: 1, name: 'customers.update', version: 1 }]);
  });

  it("clears a field with '' or null and may make the customer anonymous", async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna', city: 'Delft' });
    expectOk(await core.invoke('customers.update', { customerId: id, email: '', firstName: null, city: '   ' }));
    expect(customer(store, id)).toMatchObject({ email: null, first_name: null, city: null, sort_name: anonymousSortName });
    expect(searchMatches(store, 'emails:"anna"*')).toEqual([]);
    expect(auditRows(store)[0]).toMatchObject({
      before: { email: 'anna@example.com', firstName: 'Anna', city: 'Delft' },
      after: { email: null, firstName: null, city: null },
    });
  });

  it('writes no audit entry when every value given is already stored', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna' });
    const rowBefore = customer(store, id);
    expectOk(await core.invoke('customers.update', { customerId: id, email: 'ANNA@example.com', firstName: 'Anna', lastName: '' }));
    expect(customer(store, id)).toEqual(rowBefore);
    expect(auditRows(store)).toEqual([]);
    // A command that changed nothing has nothing to send (DESIGN.md section 5).
    expect(outboxRows(store)).toEqual([]);
  });

  it('sets the verification status', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    expectOk(await core.invoke('customers.update', { customerId: id, verificationStatus: 'verified' }));
    expect(customer(store, id).verification_status).toBe('verified');
    expect(auditRows(store)[0]).toMatchObject({ before: { verificationStatus: 'non_verified' }, after: { verificationStatus: 'verified' } });
  });

  it("refuses another customer's main email, naming that customer", async () => {
    const { store, core } = createTestCore();
    insertTestCustomer(store, { email: 'bob@example.com', first_name: 'Bob', last_name: 'Smit' });
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    const before = snapshot(store);
    const error = expectError(
      await core.invoke('customers.update', { customerId: id, firstName: 'Anna', email: 'bob@example.com' }),
      'CONFLICT',
      'email',
    );
    expect(error.message).toContain('Bob Smit');
    expect(snapshot(store)).toEqual(before);
  });

  it("locks a verified customer's email (seed 002), but allows other edits", async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    store.run(sql.updateTable('customers').set({ verification_status: 'verified' }).where('id', '=', id));
    const before = snapshot(store);
    for (const email of ['new@example.com', '', null]) {
      const error = expectError(
        await core.invoke('customers.update', { customerId: id, email, verificationStatus: 'non_verified' }),
        'CONFLICT',
        'email',
      );
      expect(error.message).toMatch(/verified/);
    }
    expect(snapshot(store)).toEqual(before);
    expectOk(await core.invoke('customers.update', { customerId: id, email: 'anna@example.com', city: 'Gouda' }));
    expect(customer(store, id)).toMatchObject({ email: 'anna@example.com', city: 'Gouda' });
  });

  it('refuses an unknown or deleted customer with NOT_FOUND', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { first_name: 'Gone' });
    store.run(sql.updateTable('customers').set({ deleted_at: '2026-05-02T00:00:00.000Z' }).where('id', '=', id));
    const before = snapshot(store);
    expectError(await core.invoke('customers.update', { customerId: 'nope', firstName: 'X' }), 'NOT_FOUND', 'customerId');
    expectError(await core.invoke('customers.update', { customerId: id, firstName: 'X' }), 'NOT_FOUND', 'customerId');
    expect(snapshot(store)).toEqual(before);
  });

  it.each([
    [{ email: 'not an email' }, 'email'],
    [{ email: 42 }, 'email'],
    [{ firstName: 'x'.repeat(101) }, 'firstName'],
    [{ lastName: 'x'.repeat(101) }, 'lastName'],
    [{ phone: 'x'.repeat(41) }, 'phone'],
    [{ phone: '123 45' }, 'phone'],
    [{ phone: '+31 6 1234 5678 ext 2' }, 'phone'],
    [{ postcode: 'x'.repeat(21) }, 'postcode'],
    [{ address: 'x'.repeat(201) }, 'address'],
    [{ city: 'x'.repeat(101) }, 'city'],
    [{ country: 'x'.repeat(101) }, 'country'],
    [{ gender: 'x'.repeat(41) }, 'gender'],
    [{ gender: 'banana' }, 'gender'],
    [{ verificationStatus: 'maybe' }, 'verificationStatus'],
    [{ customerId: '' }, 'customerId'],
  ])('refuses %j with VALIDATION on %s and changes nothing', async (change, field) => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    const before = snapshot(store);
    expectError(await core.invoke('customers.update', { customerId: id, ...change } as never), 'VALIDATION', field);
    expect(snapshot(store)).toEqual(before);
  });

  it('takes a gender from the offered choices (any case) or clears it, and names the choices when refusing', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    expectOk(await core.invoke('customers.update', { customerId: id, gender: 'Non-binary' }));
    expect(customer(store, id).gender).toBe('non-binary');
    expectOk(await core.invoke('customers.update', { customerId: id, gender: 'prefer not to say' }));
    expect(customer(store, id).gender).toBe('prefer-not-to-say');
    expectOk(await core.invoke('customers.update', { customerId: id, gender: '' }));
    expect(customer(store, id).gender).toBeNull();
    const refused = await core.invoke('customers.update', { customerId: id, gender: 'banana' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'gender', message: expect.stringContaining('Female, Male, Non-binary, Other, Prefers not to say') },
    });
  });

  it('keeps an older free-text gender and still saves the other fields', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com', gender: 'banana' });
    expectOk(await core.invoke('customers.update', { customerId: id, city: 'Delft' }));
    expect(customer(store, id)).toMatchObject({ gender: 'banana', city: 'Delft' });
  });
});
