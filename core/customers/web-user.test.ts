import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import type { Store } from '../../db/store.ts';
import { createTestCore, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk, insertWebUser } from '../../test/fixtures/commands.ts';

const webUserOf = (store: Store, customerId: string) =>
  store.first(sql.selectFrom('customers').select('web_user_id').where('id', '=', customerId))!.web_user_id;

describe('webUsers.search', () => {
  function seed(store: Store) {
    return {
      anna: insertWebUser(store, { email: 'anna.berg@example.com', firstName: 'Anna', lastName: 'Berg', phone: '+31 6-1234 5678' }),
      annabel: insertWebUser(store, { email: 'bel@example.com', firstName: 'Annabel', lastName: 'Zwart', phone: null }),
      bob: insertWebUser(store, { email: 'bob@mail.example', firstName: 'Bob', lastName: 'Annink', phone: '020 555 0101' }),
      percent: insertWebUser(store, { email: '100%real@example.com', firstName: null, lastName: null, phone: null }),
    };
  }
  const ids = (value: { webUsers: { id: string }[] }) => value.webUsers.map((user) => user.id);

  it('finds web users by first name, last name, full name, email and phone prefix', async () => {
    const { store, core } = createTestCore();
    const users = seed(store);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: 'ann' })))).toEqual([users.bob, users.anna, users.annabel]);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: 'anna b' })))).toEqual([users.anna]);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: 'BERG' })))).toEqual([users.anna]);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: 'bob@mail' })))).toEqual([users.bob]);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: '+31 6 1234' })))).toEqual([users.anna]);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: '0205' })))).toEqual([users.bob]);
    expect(expectOk(await core.invoke('webUsers.search', { query: 'bel@' })).webUsers).toEqual([
      { id: users.annabel, email: 'bel@example.com', firstName: 'Annabel', lastName: 'Zwart', phone: null, connectedTo: null },
    ]);
  });

  it('ignores case and accents like the customers search box', async () => {
    const { store, core } = createTestCore();
    const zoe = insertWebUser(store, { email: 'zoe.ozturk@example.com', firstName: 'Zoë', lastName: 'Öztürk', phone: null });
    const ines = insertWebUser(store, { email: 'INES@Example.com', firstName: 'Inés', lastName: 'Peña', phone: null });
    for (const query of ['zoe', 'ZOË', 'ozturk', 'zoe oz', 'Zoë Öztürk']) {
      expect(ids(expectOk(await core.invoke('webUsers.search', { query })))).toEqual([zoe]);
    }
    for (const query of ['ines', 'INÉS PENA', 'pena', 'ines@exa']) {
      expect(ids(expectOk(await core.invoke('webUsers.search', { query })))).toEqual([ines]);
    }
  });

  it('says which customer each web user is already connected to', async () => {
    const { store, core } = createTestCore();
    const users = seed(store);
    const bob = insertTestCustomer(store, { first_name: 'Bob', last_name: 'Annink' });
    expectOk(await core.invoke('customers.connectWebUser', { customerId: bob, webUserId: users.bob }));
    const found = expectOk(await core.invoke('webUsers.search', { query: 'ann' })).webUsers;
    expect(found.map((user) => [user.id, user.connectedTo])).toEqual([
      [users.bob, { customerId: bob, name: 'Bob Annink' }],
      [users.anna, null],
      [users.annabel, null],
    ]);
  });

  it('matches only prefixes and takes LIKE wildcards literally', async () => {
    const { store, core } = createTestCore();
    const users = seed(store);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: 'erg' })))).toEqual([]);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: '%' })))).toEqual([]);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: '_nna' })))).toEqual([]);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: '100%' })))).toEqual([users.percent]);
    expect(ids(expectOk(await core.invoke('webUsers.search', { query: '12' })))).toEqual([]);
  });

  it('returns at most 20 web users', async () => {
    const { store, core } = createTestCore();
    for (let n = 0; n < 25; n += 1) insertWebUser(store, { email: `fan${String(n).padStart(2, '0')}@example.com` });
    expect(expectOk(await core.invoke('webUsers.search', { query: 'fan' })).webUsers).toHaveLength(20);
  });

  it('refuses an empty or over-long query', async () => {
    const { core } = createTestCore();
    expectError(await core.invoke('webUsers.search', { query: '  ' }), 'VALIDATION', 'query');
    expectError(await core.invoke('webUsers.search', { query: 'x'.repeat(201) }), 'VALIDATION', 'query');
  });
});

describe('customers.connectWebUser / disconnectWebUser', () => {
  it('connects, replaces and disconnects the web user, with audit entries', async () => {
    const { store, core } = createTestCore();
    const customer = insertTestCustomer(store, { first_name: 'Anna' });
    const first = insertWebUser(store, { email: 'anna@example.com' });
    const second = insertWebUser(store, { email: 'anna.b@example.com' });

    expect(expectOk(await core.invoke('customers.connectWebUser', { customerId: customer, webUserId: first }))).toEqual({ customerId: customer });
    expect(webUserOf(store, customer)).toBe(first);
    expectOk(await core.invoke('customers.connectWebUser', { customerId: customer, webUserId: first }));
    expectOk(await core.invoke('customers.connectWebUser', { customerId: customer, webUserId: second }));
    expect(webUserOf(store, customer)).toBe(second);
    expectOk(await core.invoke('customers.disconnectWebUser', { customerId: customer }));
    expect(webUserOf(store, customer)).toBeNull();
    expectOk(await core.invoke('customers.disconnectWebUser', { customerId: customer }));

    expect(auditRows(store)).toMatchObject([
      { operation: 'customers.connectWebUser@1', entity: 'customer', entity_id: customer, before: { webUser: null }, after: { webUser: { id: first, email: 'anna@example.com' } } },
      { operation: 'customers.connectWebUser@1', before: { webUser: { id: first } }, after: { webUser: { id: second, email: 'anna.b@example.com' } } },
      { operation: 'customers.disconnectWebUser@1', before: { webUser: { id: second } }, after: { webUser: null } },
    ]);
  });

  it('refuses a web user connected to another customer, naming that customer', async () => {
    const { store, core } = createTestCore();
    const holder = insertTestCustomer(store, { first_name: 'Bob', last_name: 'Smit' });
    const customer = insertTestCustomer(store, { first_name: 'Anna' });
    const webUser = insertWebUser(store, { email: 'bob@example.com' });
    expectOk(await core.invoke('customers.connectWebUser', { customerId: holder, webUserId: webUser }));
    const before = snapshot(store);
    const error = expectError(await core.invoke('customers.connectWebUser', { customerId: customer, webUserId: webUser }), 'CONFLICT', 'webUserId');
    expect(error.message).toContain('Bob Smit');
    expect(error.message).not.toContain(holder);
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses unknown web users and customers, changing nothing', async () => {
    const { store, core } = createTestCore();
    const customer = insertTestCustomer(store);
    const webUser = insertWebUser(store, { email: 'w@example.com' });
    const before = snapshot(store);
    expectError(await core.invoke('customers.connectWebUser', { customerId: customer, webUserId: 'nope' }), 'NOT_FOUND', 'webUserId');
    expectError(await core.invoke('customers.connectWebUser', { customerId: 'nope', webUserId: webUser }), 'NOT_FOUND', 'customerId');
    expectError(await core.invoke('customers.disconnectWebUser', { customerId: 'nope' }), 'NOT_FOUND', 'customerId');
    expectError(await core.invoke('customers.connectWebUser', { customerId: customer } as never), 'VALIDATION', 'webUserId');
    expect(snapshot(store)).toEqual(before);
  });
});
