import { beforeEach, describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import {
  createTestCore,
  insertEvent,
  insertTag,
  insertTestCustomer,
  insertTicket,
  insertTicketType,
  snapshot,
} from '../../test/fixtures/store.ts';
import {
  addAlternativeEmail,
  invokeError,
  invokeOk,
  planOf,
  recordStatements,
  updateCustomerRow,
} from '../../test/fixtures/customer-reads.ts';
import { customerSearchRow, insertSearchRow, sortName } from './search-index.ts';

type TestCore = ReturnType<typeof createTestCore>;

async function search(core: TestCore['core'], query: string, limit?: number) {
  const { results } = await invokeOk(core, 'customers.search', limit === undefined ? { query } : { query, limit });
  return results;
}

describe('customers.search', () => {
  let store: Store;
  let core: TestCore['core'];
  let eventId: string;
  let typeId: string;
  const ids = { zoe: '', anna: '', annaMan: '', bert: '', anonymous: '' };

  beforeEach(() => {
    ({ store, core } = createTestCore());
    eventId = insertEvent(store);
    typeId = insertTicketType(store, eventId);
    ids.zoe = insertTestCustomer(store, { first_name: 'Zoë', last_name: 'Berg', email: 'zoe@example.com' });
    ids.anna = insertTestCustomer(store, { first_name: 'Anna', last_name: 'Berg', email: 'anna.berg@example.com' });
    ids.annaMan = insertTestCustomer(store, { first_name: 'Anna', last_name: 'Bergman', email: 'ab@mail.nl' });
    ids.bert = insertTestCustomer(store, {
      first_name: 'Bert',
      last_name: 'Jansen',
      email: 'bert@jansen.nl',
      phone: '+31 6 1234 5678',
    });
    ids.anonymous = insertTestCustomer(store, {});
  });

  it('finds a name by any word, by prefix, ignoring accents and case', async () => {
    expect((await search(core, 'zoe')).map((row) => row.customerId)).toEqual([ids.zoe]);
    expect((await search(core, 'ZOË')).map((row) => row.customerId)).toEqual([ids.zoe]);
    const ber = await search(core, 'ber');
    expect(ber.map((row) => row.customerId).sort()).toEqual([ids.zoe, ids.anna, ids.annaMan, ids.bert].sort());
    expect(ber.find((row) => row.customerId === ids.anna)).toMatchObject({
      name: 'Anna Berg',
      email: 'anna.berg@example.com',
      verificationStatus: 'non_verified',
      totalSpent: 0,
      matchedBy: 'name',
      matchedValue: 'Anna Berg',
    });
    // "Bert" matches by first name, and "ber" is in none of his other fields.
    expect(ber.find((row) => row.customerId === ids.bert)?.matchedBy).toBe('name');
  });

  it('requires every word', async () => {
    const rows = await search(core, 'anna be');
    expect(rows.map((row) => row.customerId).sort()).toEqual([ids.anna, ids.annaMan].sort());
    expect(await search(core, 'anna jansen')).toEqual([]);
  });

  it('finds a whole e-mail address exactly, main or alternative, in any case', async () => {
    addAlternativeEmail(store, ids.bert, 'b.jansen@work.nl');
    expect(await search(core, 'Zoe@Example.com')).toEqual([
      expect.objectContaining({ customerId: ids.zoe, matchedBy: 'email', matchedValue: 'zoe@example.com' }),
    ]);
    expect(await search(core, 'b.jansen@work.nl')).toEqual([
      expect.objectContaining({ customerId: ids.bert, matchedBy: 'email', matchedValue: 'b.jansen@work.nl', email: 'bert@jansen.nl' }),
    ]);
  });

  it('finds part of an e-mail by prefix, and a whole address still being typed', async () => {
    addAlternativeEmail(store, ids.bert, 'b.jansen@work.nl');
    expect(await search(core, 'anna.berg@exa')).toEqual([
      expect.objectContaining({ customerId: ids.anna, matchedBy: 'email', matchedValue: 'anna.berg@example.com' }),
    ]);
    expect(await search(core, 'zoe@example.co')).toEqual([expect.objectContaining({ customerId: ids.zoe, matchedBy: 'email' })]);
    expect(await search(core, 'work.nl')).toEqual([
      expect.objectContaining({ customerId: ids.bert, matchedBy: 'email', matchedValue: 'b.jansen@work.nl' }),
    ]);
  });

  it('finds a phone number by digit prefix in any spelling', async () => {
    for (const query of ['+31 6 12', '31612', '+31 (6) 1234-5678']) {
      expect(await search(core, query)).toEqual([
        expect.objectContaining({ customerId: ids.bert, matchedBy: 'phone', matchedValue: '+31 6 1234 5678', phone: '+31 6 1234 5678' }),
      ]);
    }
    expect(await search(core, '+31 7')).toEqual([]);
  });

  it('finds a ticket reference as scanned or trimmed, else typed in another case', async () => {
    insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'TCK-0042', customerId: ids.anna });
    insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'TCK-0043' });
    expect(await search(core, 'TCK-0042')).toEqual([
      expect.objectContaining({ customerId: ids.anna, matchedBy: 'ticket', matchedValue: 'TCK-0042' }),
    ]);
    expect((await search(core, '  TCK-0042\r\n'))[0]).toMatchObject({ customerId: ids.anna, matchedBy: 'ticket' });
    expect(await search(core, 'tck-0042')).toEqual([
      expect.objectContaining({ customerId: ids.anna, matchedBy: 'ticket', matchedValue: 'TCK-0042' }),
    ]);
    // A ticket nobody holds finds nobody.
    expect(await search(core, 'TCK-0043')).toEqual([]);
  });

  it('finds a tag UID in any common spelling', async () => {
    insertTag(store, { eventId, ticketTypeId: typeId, customerId: ids.bert, uid: '04A224B2C33F80' });
    for (const spelling of ['04:A2:24:B2:C3:3F:80', '04a224b2c33f80', '04 A2 24 B2 C3 3F 80', '04-a2-24-b2-c3-3f-80']) {
      expect(await search(core, spelling)).toEqual([
        expect.objectContaining({ customerId: ids.bert, matchedBy: 'tag', matchedValue: '04A224B2C33F80' }),
      ]);
    }
  });

  it('answers an exact credential hit with its holders only, each once', async () => {
    // Bert holds a ticket whose reference is a word of other customers' names.
    insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'Berg', customerId: ids.bert });
    insertTicket(store, { eventId: insertEvent(store, { name: 'Winter' }), ticketTypeId: typeId, reference: 'Berg', customerId: ids.anna });
    const rows = await search(core, 'Berg');
    // Several ticket holders: by name (Berg before Jansen).
    expect(rows.slice(0, 2).map((row) => [row.customerId, row.matchedBy])).toEqual([
      [ids.anna, 'ticket'],
      [ids.bert, 'ticket'],
    ]);
    // A scanned credential is unambiguous: name matches of the same text would only be noise.
    expect(rows).toHaveLength(2);
  });

  it('orders full-text matches of equal rank by name', async () => {
    const ada = insertTestCustomer(store, { first_name: 'Ada', last_name: 'Visser' });
    const eva = insertTestCustomer(store, { first_name: 'Eva', last_name: 'Visser' });
    const cor = insertTestCustomer(store, { first_name: 'Cor', last_name: 'Visser' });
    expect((await search(core, 'visser')).map((row) => row.customerId)).toEqual([ada, cor, eva]);
  });

  it('ranks a closer full-text match above a weaker one', async () => {
    // bm25: "smit" twice in a short row beats once in a long one.
    const weak = insertTestCustomer(store, { first_name: 'Smit', last_name: 'Van Der Berg De Vries Achternaam' });
    const strong = insertTestCustomer(store, { first_name: 'Jan', last_name: 'Smit', email: 'smit@smit.nl' });
    expect((await search(core, 'smit')).map((row) => row.customerId)).toEqual([strong, weak]);
  });

  it('never shows deleted customers, however they are found', async () => {
    insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'TCK-9', customerId: ids.zoe });
    insertTag(store, { eventId, ticketTypeId: typeId, customerId: ids.zoe, uid: '04AABBCC' });
    updateCustomerRow(store, ids.zoe, { deleted_at: '2026-05-02T09:00:00.000Z' });
    for (const query of ['zoe', 'zoe@example.com', 'TCK-9', '04:aa:bb:cc', 'berg']) {
      expect((await search(core, query)).map((row) => row.customerId)).not.toContain(ids.zoe);
    }
  });

  it('fills the limit with live customers when deleted ones crowd the first candidates', async () => {
    // More deleted matches than one round of candidates, all indexed before the live one.
    for (let index = 0; index < 250; index++) {
      updateCustomerRow(store, insertTestCustomer(store, { first_name: 'Gone', last_name: `Quist${index}` }), {
        deleted_at: '2026-05-02T09:00:00.000Z',
      });
    }
    const live = insertTestCustomer(store, { first_name: 'Here', last_name: 'Quist' });
    expect((await search(core, 'quist')).map((row) => row.customerId)).toEqual([live]);
  });

  it('respects the limit', async () => {
    for (let index = 0; index < 30; index++) insertTestCustomer(store, { first_name: 'Many', last_name: `Kok${index}` });
    expect(await search(core, 'kok')).toHaveLength(25);
    expect(await search(core, 'kok', 5)).toHaveLength(5);
    expect(await search(core, 'kok', 100)).toHaveLength(30);
  });

  it('treats FTS syntax as text and returns nothing for text with nothing searchable', async () => {
    for (const query of ['"', '*', 'AND', '(', 'NEAR(', 'OR anna', '"anna', 'anna*', '^', 'anna -berg', ':', '{name}:anna']) {
      const result = await core.invoke('customers.search', { query });
      expect(result.ok, query).toBe(true);
    }
    expect(await search(core, '" * ( )')).toEqual([]);
    expect((await search(core, '"anna')).map((row) => row.customerId).sort()).toEqual([ids.anna, ids.annaMan].sort());
    expect(await search(core, 'AND')).toEqual([]);
  });

  it('returns no results for text that matches nobody', async () => {
    expect(await search(core, 'nobody-here')).toEqual([]);
  });

  it('refuses a bad query or limit and changes nothing', async () => {
    const before = snapshot(store);
    expect(await invokeError(core, 'customers.search', { query: '   ' })).toMatchObject({ code: 'VALIDATION', field: 'query' });
    expect(await invokeError(core, 'customers.search', { query: 'x'.repeat(201) })).toMatchObject({ code: 'VALIDATION', field: 'query' });
    expect(await invokeError(core, 'customers.search', { query: 42 })).toMatchObject({ code: 'VALIDATION', field: 'query' });
    expect(await invokeError(core, 'customers.search', { query: 'anna', limit: 0 })).toMatchObject({ field: 'limit' });
    expect(await invokeError(core, 'customers.search', { query: 'anna', limit: 101 })).toMatchObject({ field: 'limit' });
    expect(await invokeError(core, 'customers.search', { query: 'anna', limit: 2.5 })).toMatchObject({ field: 'limit' });
    expect(snapshot(store)).toEqual(before);
  });

  it('accepts 200 characters after trimming', async () => {
    expect(await search(core, `  ${'a'.repeat(200)}  `)).toEqual([]);
  });

  it('writes nothing', async () => {
    insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'TCK-1', customerId: ids.anna });
    const before = snapshot(store);
    await search(core, 'TCK-1');
    await search(core, 'anna');
    expect(snapshot(store)).toEqual(before);
  });
});

describe('customers.search query plans', () => {
  it('uses only index lookups on customers, tickets and tags', async () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    const typeId = insertTicketType(store, eventId);
    seedCustomers(store, eventId, typeId, 3000);
    const queries = ['ber', 'anna be', 'anna.berg@exa', 'anna.berg1@example.com', '+31 6 12', 'REF-12', '04:00:00:00:00:00:0C', 'nobody@x.nl'];
    const statements = await recordStatements(store, async () => {
      for (const query of queries) await search(core, query);
    });
    expect(statements.length).toBeGreaterThan(4);
    for (const text of statements) {
      const plan = planOf(store, text);
      for (const line of plan.filter((detail) => detail.startsWith('SCAN '))) {
        // Only the FTS index itself and the subquery of its candidates may be walked.
        expect(line, text).toMatch(/^SCAN (customer_search VIRTUAL TABLE|m$)/);
      }
      expect(plan.join(' | '), text).not.toMatch(/\b(customers|tickets|tags|customer_emails)\b(?! USING)/);
    }
  });
});

/** Customers with one ticket and one tag each, written the way bulk writers do. */
function seedCustomers(store: Store, eventId: string, typeId: string, count: number): void {
  const at = '2026-05-01T09:00:00.000Z';
  const names = ['Anna', 'Bert', 'Cora', 'Dirk', 'Eva'];
  const lastNames = ['Berg', 'Bakker', 'Visser', 'Smit', 'Jansen'];
  store.transaction(() => {
    for (let index = 1; index <= count; index++) {
      const profile = {
        first_name: names[index % names.length]!,
        last_name: `${lastNames[index % lastNames.length]!}${index}`,
        email: `anna.berg${index}@example.com`,
        phone: `+31 6 ${String(10_000_000 + index)}`,
      };
      const id = `customer-${index}`;
      store.run(
        sql.insertInto('customers').values({
          id,
          search_rowid: index,
          ...profile,
          postcode: null,
          address: null,
          city: null,
          country: null,
          gender: null,
          description: null,
          web_user_id: null,
          sort_name: sortName(profile),
          created_at: at,
          updated_at: at,
          server_version: null,
          deleted_at: null,
        }),
      );
      insertSearchRow(store, index, customerSearchRow(profile));
      insertTicket(store, { eventId, ticketTypeId: typeId, reference: `REF-${index}`, customerId: id });
      insertTag(store, { eventId, ticketTypeId: typeId, customerId: id, uid: index.toString(16).toUpperCase().padStart(14, '0') });
    }
  });
}
