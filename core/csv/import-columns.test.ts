import { describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { createTestCore, insertEvent, insertTicketType, snapshot } from '../../test/fixtures/store.ts';
import type { ImportCustomersInput } from '../import/import.contract.ts';

function setup() {
  const { store, core } = createTestCore();
  const eventId = insertEvent(store);
  insertTicketType(store, eventId, 'Weekend');
  return { store, core, eventId };
}

const customerByEmail = (store: Store, email: string) => store.first(sql.selectFrom('customers').selectAll().where('email', '=', email));

describe('import.customers with columns chosen in the preview', () => {
  it('imports a header it cannot map on its own, ignoring the columns left out', async () => {
    const { store, core } = setup();
    const text = 'Mail adres,Voor,Achter,Kaart,Opmerking\nanna@example.com,Anna,Berg,T-1,vip\n';
    const result = await core.invoke('import.customers', {
      source: { text },
      columns: ['email', 'firstName', 'lastName', 'ticketReference', null],
    });
    expect(result).toMatchObject({ ok: true, value: { imported: 1, rejected: [], ignoredColumns: ['Opmerking'] } });
    expect(customerByEmail(store, 'anna@example.com')).toMatchObject({ first_name: 'Anna', last_name: 'Berg' });
  });

  it('overrides the automatic mapping: a column it would import can be ignored, or read as another field', async () => {
    const { store, core } = setup();
    // Automatically "City" is the city and "Type" the ticket type; here staff say otherwise.
    const text = 'email,City,Type,ticket\nanna@example.com,Utrecht,Weekend,T-1\n';
    const result = await core.invoke('import.customers', { source: { text }, columns: ['email', null, 'country', 'ticketReference'] });
    expect(result).toMatchObject({ ok: true, value: { imported: 1, ignoredColumns: ['City'], createdTicketTypes: ['General admission'] } });
    expect(customerByEmail(store, 'anna@example.com')).toMatchObject({ city: null, country: 'Weekend' });
  });

  it('applies the chosen mapping in a dry run too', async () => {
    const { store, core } = setup();
    const before = snapshot(store);
    const result = await core.invoke('import.customers', {
      source: { text: 'a,b\nanna@example.com,T-1\nnot-an-email,T-2\n' },
      columns: ['email', 'ticketReference'],
      dryRun: true,
    });
    expect(result).toMatchObject({ ok: true, value: { dryRun: true, imported: 1, rejected: [{ row: 3, reason: 'email: Invalid email address' }] } });
    expect(snapshot(store)).toEqual(before);
  });

  it.each([
    ['a field chosen twice', ['email', 'email', null], /^Email is chosen for two columns \(1 and 2\)$/],
    ['fewer choices than columns', ['email', 'ticketReference'], /it has 3 columns but 2 choices were given/],
    ['more choices than columns', ['email', 'ticketReference', null, null], /it has 3 columns but 4 choices were given/],
    ['no email and no ticket reference', ['firstName', 'lastName', null], /^Choose the column that holds the email or the ticket reference/],
    ['an unknown field', ['email', 'shoeSize', null], /^Column 2: not a field Box Office imports/],
  ])('refuses %s with VALIDATION on columns and changes nothing', async (_label, columns, message) => {
    const { store, core } = setup();
    const before = snapshot(store);
    const result = await core.invoke('import.customers', {
      source: { text: 'email,ticket,name\nanna@example.com,T-1,Anna\n' },
      columns: columns as ImportCustomersInput['columns'],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: expect.stringMatching(/^columns/), message: expect.stringMatching(message) } });
    expect(snapshot(store)).toEqual(before);
  });
});
