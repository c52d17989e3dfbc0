import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../db/store.ts';
import {
  createTestCore,
  insertEvent,
  insertTag,
  insertTestCustomer,
  insertTicket,
  insertTicketType,
  snapshot,
} from '../../test/fixtures/store.ts';
import { addAlternativeEmail, invokeError, invokeOk, updateCustomerRow } from '../../test/fixtures/customer-reads.ts';

type Core = ReturnType<typeof createTestCore>['core'];

describe('customers.resolve', () => {
  let store: Store;
  let core: Core;
  let summer: string;
  let winter: string;
  let summerType: string;
  let winterType: string;
  let anna: string;
  let bert: string;

  beforeEach(() => {
    ({ store, core } = createTestCore());
    summer = insertEvent(store, { name: 'Summer' });
    winter = insertEvent(store, { name: 'Winter' });
    summerType = insertTicketType(store, summer);
    winterType = insertTicketType(store, winter);
    anna = insertTestCustomer(store, { first_name: 'Anna', last_name: 'Berg', email: 'anna@example.com' });
    bert = insertTestCustomer(store, { first_name: 'Bert', email: 'bert@example.com' });
  });

  const resolve = (key: string) => invokeOk(core, 'customers.resolve', { key });

  it('accepts a customer id', async () => {
    expect(await resolve(anna)).toEqual({ customerId: anna, matchedBy: 'id' });
    expect(await resolve(` ${anna} `)).toEqual({ customerId: anna, matchedBy: 'id' });
  });

  it('accepts a main or alternative e-mail in any case', async () => {
    addAlternativeEmail(store, bert, 'b@work.nl');
    expect(await resolve('Anna@Example.com')).toEqual({ customerId: anna, matchedBy: 'email' });
    expect(await resolve('B@WORK.nl')).toEqual({ customerId: bert, matchedBy: 'email' });
  });

  it('accepts a ticket reference as scanned or trimmed', async () => {
    insertTicket(store, { eventId: summer, ticketTypeId: summerType, reference: 'TCK-1', customerId: bert });
    expect(await resolve('TCK-1')).toEqual({ customerId: bert, matchedBy: 'ticket' });
    expect(await resolve('TCK-1\n')).toEqual({ customerId: bert, matchedBy: 'ticket' });
  });

  it('accepts a tag UID in any spelling', async () => {
    insertTag(store, { eventId: summer, ticketTypeId: summerType, customerId: anna, uid: '04A224B2C33F80' });
    for (const key of ['04:A2:24:B2:C3:3F:80', '04a224b2c33f80', '04 A2 24 B2 C3 3F 80']) {
      expect(await resolve(key)).toEqual({ customerId: anna, matchedBy: 'tag' });
    }
  });

  it('accepts a UID held by the same customer in two events', async () => {
    insertTag(store, { eventId: summer, ticketTypeId: summerType, customerId: anna, uid: '04A224B2' });
    insertTag(store, { eventId: winter, ticketTypeId: winterType, customerId: anna, uid: '04A224B2' });
    expect(await resolve('04:a2:24:b2')).toEqual({ customerId: anna, matchedBy: 'tag' });
  });

  it('refuses a UID that belongs to different customers, naming them', async () => {
    insertTag(store, { eventId: summer, ticketTypeId: summerType, customerId: anna, uid: '04A224B2' });
    insertTag(store, { eventId: winter, ticketTypeId: winterType, customerId: bert, uid: '04A224B2' });
    const error = await invokeError(core, 'customers.resolve', { key: '04a224b2' });
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'key' });
    expect(error.message).toContain('Tag UID 04A224B2 belongs to 2 customers');
    expect(error.message).toContain('Anna Berg');
    expect(error.message).toContain('Bert');
    expect(error.message).not.toContain(anna);
    expect(error.message).not.toContain(bert);
  });

  it('finds a ticket reference typed in another case, and refuses one two holders share in different cases', async () => {
    insertTicket(store, { eventId: summer, ticketTypeId: summerType, reference: 'BO-JK4FYO2S9X', customerId: anna });
    expect(await core.invoke('customers.resolve', { key: 'bo-jk4fyo2s9x' })).toEqual({ ok: true, value: { customerId: anna, matchedBy: 'ticket' } });
    insertTicket(store, { eventId: summer, ticketTypeId: summerType, reference: 'Twin-1', customerId: anna });
    insertTicket(store, { eventId: summer, ticketTypeId: summerType, reference: 'TWIN-1', customerId: bert });
    expect(await invokeError(core, 'customers.resolve', { key: 'twin-1' })).toMatchObject({ code: 'CONFLICT', field: 'key' });
  });

  it('refuses a ticket reference used in two events by different customers', async () => {
    insertTicket(store, { eventId: summer, ticketTypeId: summerType, reference: 'TCK-5', customerId: anna });
    insertTicket(store, { eventId: winter, ticketTypeId: winterType, reference: 'TCK-5', customerId: bert });
    expect(await invokeError(core, 'customers.resolve', { key: 'TCK-5' })).toMatchObject({ code: 'CONFLICT', field: 'key' });
  });

  it('says when a ticket is not assigned to anyone', async () => {
    insertTicket(store, { eventId: summer, ticketTypeId: summerType, reference: 'TCK-2' });
    expect(await invokeError(core, 'customers.resolve', { key: 'TCK-2' })).toEqual({
      code: 'NOT_FOUND',
      message: 'Ticket TCK-2 is not assigned to a customer',
      field: 'key',
    });
  });

  it('says when nothing matches the key', async () => {
    const before = snapshot(store);
    expect(await invokeError(core, 'customers.resolve', { key: 'nobody@example.com' })).toEqual({
      code: 'NOT_FOUND',
      message: 'No customer id, e-mail, ticket reference or tag UID matches "nobody@example.com"',
      field: 'key',
    });
    expect(await invokeError(core, 'customers.resolve', { key: '04:00:00:01' })).toMatchObject({ code: 'NOT_FOUND', field: 'key' });
    expect(await invokeError(core, 'customers.resolve', { key: '  ' })).toMatchObject({ code: 'VALIDATION', field: 'key' });
    expect(await invokeError(core, 'customers.resolve', {})).toMatchObject({ code: 'VALIDATION', field: 'key' });
    expect(snapshot(store)).toEqual(before);
  });

  it('never resolves to a deleted customer', async () => {
    insertTicket(store, { eventId: summer, ticketTypeId: summerType, reference: 'TCK-3', customerId: anna });
    insertTag(store, { eventId: summer, ticketTypeId: summerType, customerId: anna, uid: '04A224B3' });
    updateCustomerRow(store, anna, { deleted_at: '2026-05-02T00:00:00.000Z' });
    expect(await invokeError(core, 'customers.resolve', { key: anna })).toMatchObject({
      code: 'NOT_FOUND',
      message: `Customer ${anna} was deleted`,
    });
    expect(await invokeError(core, 'customers.resolve', { key: 'anna@example.com' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await invokeError(core, 'customers.resolve', { key: 'TCK-3' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await invokeError(core, 'customers.resolve', { key: '04A224B3' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
