import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { createTestCore, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk } from '../../test/fixtures/commands.ts';

describe('customers.setDescription', () => {
  it('sets, keeps and clears the internal note', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { first_name: 'Anna' });
    const note = () => store.first(sql.selectFrom('customers').select('description').where('id', '=', id))!.description;

    expect(expectOk(await core.invoke('customers.setDescription', { customerId: id, description: ' Prefers the side entrance ' }))).toEqual({
      customerId: id,
    });
    expect(note()).toBe('Prefers the side entrance');
    expectOk(await core.invoke('customers.setDescription', { customerId: id, description: 'Prefers the side entrance' }));
    expectOk(await core.invoke('customers.setDescription', { customerId: id, description: '' }));
    expect(note()).toBeNull();
    expectOk(await core.invoke('customers.setDescription', { customerId: id, description: null }));

    expect(auditRows(store)).toMatchObject([
      { operation: 'customers.setDescription@1', entity: 'customer', before: { description: null }, after: { description: 'Prefers the side entrance' } },
      { operation: 'customers.setDescription@1', before: { description: 'Prefers the side entrance' }, after: { description: null } },
    ]);
  });

  it('refuses an over-long note, a missing description and an unknown customer', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store);
    const before = snapshot(store);
    expectError(await core.invoke('customers.setDescription', { customerId: id, description: 'x'.repeat(2001) }), 'VALIDATION', 'description');
    expectError(await core.invoke('customers.setDescription', { customerId: id } as never), 'VALIDATION', 'description');
    expectError(await core.invoke('customers.setDescription', { customerId: 'missing', description: 'hi' }), 'NOT_FOUND', 'customerId');
    expect(snapshot(store)).toEqual(before);
    expectOk(await core.invoke('customers.setDescription', { customerId: id, description: 'x'.repeat(2000) }));
  });
});
