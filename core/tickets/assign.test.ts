import { describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { createTestCore, insertEvent, insertTestCustomer, insertTicket, insertTicketType, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';
import { syncedRows } from '../../test/fixtures/synced-tables.ts';

function setup() {
  const test = createTestCore();
  const eventId = insertEvent(test.store);
  const typeId = insertTicketType(test.store, eventId);
  const anna = insertTestCustomer(test.store, { first_name: 'Anna', last_name: 'Berg' });
  const bob = insertTestCustomer(test.store, { first_name: 'Bob', last_name: 'Smit' });
  const ticket = (reference: string, customerId: string | null = null) =>
    insertTicket(test.store, { eventId, ticketTypeId: typeId, reference, customerId });
  return { ...test, eventId, typeId, anna, bob, ticket };
}

const holderOf = (store: Store, ticketId: string) =>
  store.first(sql.selectFrom('tickets').select('customer_id').where('id', '=', ticketId))!.customer_id;

describe('tickets.assign', () => {
  it('assigns many tickets at once, reporting those already the customer’s', async () => {
    const { store, core, anna, ticket } = setup();
    const t1 = ticket('TCK-0001');
    const t2 = ticket('TCK-0002');
    const t3 = ticket('TCK-0003', anna);
    const result = expectOk(
      await core.invoke('tickets.assign', { customerId: anna, references: [' TCK-0001', 'TCK-0002', 'TCK-0003', 'TCK-0001'] }),
    );
    expect(result).toEqual({ assigned: [t1, t2], unchanged: [t3] });
    expect([holderOf(store, t1), holderOf(store, t2), holderOf(store, t3)]).toEqual([anna, anna, anna]);
    expect(auditRows(store)).toMatchObject([
      { operator: 'operator-1', operation: 'tickets.assign@1', entity: 'ticket', entity_id: t1, before: { customerId: null }, after: { customerId: anna } },
      { operation: 'tickets.assign@1', entity: 'ticket', entity_id: t2, before: { customerId: null }, after: { customerId: anna } },
    ]);
    expect(outboxRows(store)).toMatchObject([
      { seq: 1, name: 'tickets.assign', version: 1, args: { customerId: anna, references: ['TCK-0001', 'TCK-0002', 'TCK-0003', 'TCK-0001'] } },
    ]);
  });

  it('is all or nothing: one unknown reference in five assigns none and names it', async () => {
    const { store, core, anna, ticket } = setup();
    for (const reference of ['A1', 'A2', 'A4', 'A5']) ticket(reference);
    const before = snapshot(store);
    const error = expectError(
      await core.invoke('tickets.assign', { customerId: anna, references: ['A1', 'A2', 'A3', 'A4', 'A5'] }),
      'NOT_FOUND',
      'references.2',
    );
    expect(error.message).toContain('A3');
    expect(snapshot(store)).toEqual(before);
  });

  it("never moves a ticket another customer holds: CONFLICT naming it and the holder", async () => {
    const { store, core, anna, bob, ticket } = setup();
    ticket('A1');
    const held = ticket('A2', bob);
    const before = snapshot(store);
    const error = expectError(await core.invoke('tickets.assign', { customerId: anna, references: ['A1', 'A2'] }), 'CONFLICT', 'references.1');
    expect(error.message).toContain('A2');
    expect(error.message).toContain('Bob Smit');
    expect(holderOf(store, held)).toBe(bob);
    expect(snapshot(store)).toEqual(before);
  });

  it('looks references up in the given event only', async () => {
    const { store, core, eventId, anna, ticket } = setup();
    const other = insertEvent(store, { name: 'Winter Fair' });
    const otherType = insertTicketType(store, other);
    const here = ticket('SAME-1');
    const there = insertTicket(store, { eventId: other, ticketTypeId: otherType, reference: 'SAME-1' });
    insertTicket(store, { eventId: other, ticketTypeId: otherType, reference: 'ONLY-THERE' });

    expect(expectOk(await core.invoke('tickets.assign', { customerId: anna, eventId: other, references: ['SAME-1'] }))).toEqual({
      assigned: [there],
      unchanged: [],
    });
    expect(holderOf(store, here)).toBeNull();
    expectError(await core.invoke('tickets.assign', { customerId: anna, eventId, references: ['ONLY-THERE'] }), 'NOT_FOUND', 'references.0');
    // Two events and no choice made on this terminal: the operator must pick one.
    expectError(await core.invoke('tickets.assign', { customerId: anna, references: ['SAME-1'] }), 'VALIDATION', 'eventId');
    expectError(await core.invoke('tickets.assign', { customerId: anna, eventId: 'nope', references: ['SAME-1'] }), 'NOT_FOUND', 'eventId');
  });

  it('finds a reference typed in another case, and assigns a ticket typed in two spellings once', async () => {
    const { store, core, anna, ticket } = setup();
    const t1 = ticket('BO-JK4FYO2S9X');
    expect(expectOk(await core.invoke('tickets.assign', { customerId: anna, references: ['bo-jk4fyo2s9x', 'BO-JK4FYO2S9X'] }))).toEqual({
      assigned: [t1],
      unchanged: [],
    });
    expect(holderOf(store, t1)).toBe(anna);
  });

  it('refuses a reference two tickets share in different cases, naming both', async () => {
    const { store, core, anna, ticket } = setup();
    ticket('Twin-1');
    ticket('TWIN-1');
    const before = snapshot(store);
    const error = expectError(await core.invoke('tickets.assign', { customerId: anna, references: ['twin-1'] }), 'CONFLICT', 'references.0');
    expect(error.message).toMatch(/Twin-1.*TWIN-1|TWIN-1.*Twin-1/);
    expect(snapshot(store)).toEqual(before);
  });

  it('names every ticket a reference matches in different cases, in the same order on every store', async () => {
    const { store, core, anna, ticket } = setup();
    ticket('Twin-1');
    ticket('TWIN-1');
    ticket('twin-1');
    const before = snapshot(store);
    const error = expectError(await core.invoke('tickets.assign', { customerId: anna, references: ['tWIN-1'] }), 'CONFLICT', 'references.0');
    expect(error.message).toBe(
      'Ticket tWIN-1 matches 3 tickets that differ only in upper and lower case (Twin-1, TWIN-1, twin-1): type it exactly; nothing was assigned',
    );
    expect(snapshot(store)).toEqual(before);
  });

  it('folds ASCII letters only, as SQLite\'s lower() does, also where PostgreSQL\'s would fold more', async () => {
    const { store, core, anna, ticket } = setup();
    const accented = ticket('Éva-2');
    ticket('ÉVA-1');
    // "É" and "é" are different characters to the lookup: only A-Z fold.
    expectError(await core.invoke('tickets.assign', { customerId: anna, references: ['éva-1'] }), 'NOT_FOUND', 'references.0');
    expect(expectOk(await core.invoke('tickets.assign', { customerId: anna, references: ['ÉVA-2'] }))).toEqual({ assigned: [accented], unchanged: [] });
    expect(holderOf(store, accented)).toBe(anna);
  });

  it('changes nothing, and sends nothing, when every ticket is the customer\'s already', async () => {
    const { store, core, anna, ticket } = setup();
    const own = ticket('A1', anna);
    const before = syncedRows(store.db);
    expect(expectOk(await core.invoke('tickets.assign', { customerId: anna, references: ['A1', 'a1'] }))).toEqual({ assigned: [], unchanged: [own] });
    expect(syncedRows(store.db)).toEqual(before);
    expect(outboxRows(store)).toEqual([]);
  });

  it('reports every bad reference with its reason in one error, naming holders without ids', async () => {
    const { store, core, anna, bob, ticket } = setup();
    ticket('A1');
    ticket('A2', bob);
    const before = snapshot(store);
    const error = expectError(
      await core.invoke('tickets.assign', { customerId: anna, references: ['A1', 'A2', 'A3', 'A4'] }),
      'CONFLICT',
      'references.1',
    );
    expect(error.message).toBe(
      '3 tickets cannot be assigned, so none was: Ticket A2 belongs to Bob Smit; Ticket A3: no such ticket in Summer Festival; Ticket A4: no such ticket in Summer Festival',
    );
    expect(error.message).not.toContain(bob);
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses unknown customers and malformed reference lists, changing nothing', async () => {
    const { store, core, anna, ticket } = setup();
    ticket('A1');
    const before = snapshot(store);
    expectError(await core.invoke('tickets.assign', { customerId: 'missing', references: ['A1'] }), 'NOT_FOUND', 'customerId');
    expectError(await core.invoke('tickets.assign', { customerId: anna, references: [] }), 'VALIDATION', 'references');
    expectError(await core.invoke('tickets.assign', { customerId: anna, references: ['A1', '  '] }), 'VALIDATION', 'references.1');
    expectError(await core.invoke('tickets.assign', { customerId: anna, references: ['A\u0007'] }), 'VALIDATION', 'references.0');
    expectError(await core.invoke('tickets.assign', { customerId: anna, references: ['x'.repeat(129)] }), 'VALIDATION', 'references.0');
    expectError(
      await core.invoke('tickets.assign', { customerId: anna, references: Array.from({ length: 201 }, (_, n) => `R${n}`) }),
      'VALIDATION',
      'references',
    );
    expectError(await core.invoke('tickets.assign', { customerId: anna, references: 'A1' } as never), 'VALIDATION', 'references');
    expect(snapshot(store)).toEqual(before);
  });
});
