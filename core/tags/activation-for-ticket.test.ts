import { describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { insertTag, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk, outboxRows, searchMatches } from '../../test/fixtures/commands.ts';
import { checkinSetup, ticketPresence } from '../../test/fixtures/checkin.ts';

const tag = (store: Store, id: string) =>
  store.first(
    sql
      .selectFrom('tags')
      .select(['uid', 'customer_id', 'ticket_type_id', 'ticket_id', 'active', 'banned', 'inactive_reason', 'entry_count', 'inside_since'])
      .where('id', '=', id),
  )!;
const ticketRow = (store: Store, id: string) => store.first(sql.selectFrom('tickets').select(['customer_id', 'redeemed']).where('id', '=', id))!;

describe('tags.activateForTicket', () => {
  it("binds the wristband to the ticket's customer with the ticket's type, active, and redeems the ticket, in one command", async () => {
    const { store, core, eventId, types, anna, ticket } = checkinSetup();
    const previous = insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04C3C3C3', active: true });
    const t = ticket(types.saturday);
    const result = expectOk(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04:a2:24:b2:c3:3f:80' }));
    expect(result).toEqual({ customerId: anna, tagId: result.tagId, ticketId: t.id, replacedTagIds: [previous], customerCreated: false });
    expect(tag(store, result.tagId)).toMatchObject({ uid: '04A224B2C33F80', customer_id: anna, ticket_type_id: types.saturday, ticket_id: t.id, active: 1, banned: 0 });
    expect(tag(store, previous)).toMatchObject({ active: 0, inactive_reason: 'replaced' });
    expect(ticketRow(store, t.id)).toEqual({ customer_id: anna, redeemed: 1 });
    expect(outboxRows(store)).toMatchObject([{ name: 'tags.activateForTicket', args: { ticketReference: t.reference, uid: '04A224B2C33F80' } }]);
    expect(auditRows(store).map((row) => [row.entity, row.entity_id])).toEqual([
      ['tag', previous],
      ['tag', result.tagId],
      ['ticket', t.id],
    ]);
  });

  it('creates an anonymous customer for a ticket without one, and the wristband then opens the gate', async () => {
    const { store, core, scan, ticket } = checkinSetup();
    const t = ticket(undefined, { customerId: null });
    const result = expectOk(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04A1A1A1' }));
    expect(result.customerCreated).toBe(true);
    expect(result.replacedTagIds).toEqual([]);
    const customer = store.first(sql.selectFrom('customers').selectAll().where('id', '=', result.customerId))!;
    expect(customer).toMatchObject({ email: null, first_name: null, last_name: null });
    expect(ticketRow(store, t.id)).toEqual({ customer_id: result.customerId, redeemed: 1 });
    expect(auditRows(store)[0]).toMatchObject({ entity: 'customer', entity_id: result.customerId, after: { anonymous: true } });
    expect(searchMatches(store, 'anything')).toEqual([]);
    expect(await scan(t.reference, { at: '2026-07-11T10:00:00.000Z' })).toMatchObject({ reason: 'redeemed' });
    expect(await scan('04A1A1A1')).toMatchObject({ reason: 'admitted', customer: { id: result.customerId, displayName: 'Anonymous customer' } });
  });

  it('carries a ticket already inside over to the wristband (no second entry)', async () => {
    const { store, core, scan, ticket, types } = checkinSetup();
    const t = ticket(types.once);
    await scan(t.reference, { at: '2026-07-11T10:00:00.000Z' });
    const result = expectOk(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04A1A1A1' }));
    expect(tag(store, result.tagId)).toMatchObject({ entry_count: 1, inside_since: '2026-07-11T10:00:00.000Z' });
    expect(ticketPresence(store, t.id)).toMatchObject({ inside_since: null });
    expect(await scan('04A1A1A1')).toMatchObject({ reason: 'already_inside' });
    await scan('04A1A1A1', { direction: 'exit' });
    expect(await scan('04A1A1A1')).toMatchObject({ reason: 'max_entries_reached' });
  });

  it.each([
    ['canceled', { invalidReason: 'canceled' as const }, 'is invalid (canceled)'],
    ['refunded', { invalidReason: 'refunded' as const }, 'is invalid (refunded)'],
    ['banned', { banned: true }, 'is banned'],
    ['redeemed', { redeemed: true }, 'is already redeemed'],
  ])('refuses a %s ticket, changing nothing', async (_, values, message) => {
    const { store, core, ticket } = checkinSetup();
    const t = ticket(undefined, values);
    const before = snapshot(store);
    const error = expectError(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04A1A1A1' }), 'CONFLICT', 'ticketReference');
    expect(error.message).toContain(message);
    expect(snapshot(store)).toEqual(before);
  });

  it('names the wristband a redeemed ticket was exchanged for', async () => {
    const { core, ticket } = checkinSetup();
    const t = ticket();
    expectOk(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04A1A1A1' }));
    const error = expectError(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04B2B2B2' }), 'CONFLICT', 'ticketReference');
    expect(error.message).toContain('wristband 04A1A1A1');
  });

  it('finds the ticket typed in another case, and refuses a reference two tickets share in different cases', async () => {
    const { store, core, types, ticket } = checkinSetup();
    const t = ticket(types.weekend, { reference: 'BO-JK4FYO2S9X' });
    ticket(types.weekend, { reference: 'Twin-1' });
    ticket(types.weekend, { reference: 'TWIN-1' });
    const before = snapshot(store);
    const ambiguous = expectError(await core.invoke('tags.activateForTicket', { ticketReference: 'twin-1', uid: '04A1A1A1' }), 'CONFLICT', 'ticketReference');
    expect(ambiguous.message).toContain('differ only in upper and lower case');
    expect(snapshot(store)).toEqual(before);
    const result = expectOk(await core.invoke('tags.activateForTicket', { ticketReference: 'bo-jk4fyo2s9x', uid: '04A1A1A1' }));
    expect(result.ticketId).toBe(t.id);
    expect(ticketRow(store, t.id).redeemed).toBe(1);
  });

  it('names the deleted holder of a ticket by name, never by id', async () => {
    const { store, core, ticket } = checkinSetup();
    const gone = insertTestCustomer(store, { first_name: 'Gone', last_name: 'Away' });
    store.run(sql.updateTable('customers').set({ deleted_at: '2026-05-01T09:00:00.000Z' }).where('id', '=', gone));
    const t = ticket(undefined, { customerId: gone });
    const error = expectError(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04A1A1A1' }), 'CONFLICT', 'ticketReference');
    expect(error.message).toContain('Gone Away');
    expect(error.message).not.toContain(gone);
  });

  it('refuses a UID bound to anyone in the event (naming the holder), banned tags, random UIDs and unknown tickets', async () => {
    const { store, core, eventId, types, ticket } = checkinSetup();
    const bob = insertTestCustomer(store, { first_name: 'Bob', last_name: 'Smit' });
    insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: bob, uid: '04B2B2B2', active: true });
    insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: bob, uid: '04D4D4D4', banned: true });
    const t = ticket();
    const before = snapshot(store);
    expect(expectError(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04b2b2b2' }), 'CONFLICT', 'uid').message).toContain('Bob Smit');
    expect(expectError(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04D4D4D4' }), 'CONFLICT', 'uid').message).toContain('banned');
    expect(expectError(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '08:1F:2E:3D' }), 'VALIDATION', 'uid').message).toContain('random UID');
    expectError(await core.invoke('tags.activateForTicket', { ticketReference: 'NOPE', uid: '04A1A1A1' }), 'NOT_FOUND', 'ticketReference');
    expectError(await core.invoke('tags.activateForTicket', { ticketReference: '', uid: '04A1A1A1' }), 'VALIDATION', 'ticketReference');
    expectError(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: 'zz' }), 'VALIDATION', 'uid');
    expect(snapshot(store)).toEqual(before);
  });
});

describe('tags.replace', () => {
  it('makes the lost wristband inactive (replaced) and the new one active with the same type, customer, ticket and state', async () => {
    const { store, core, scan, ticket, anna } = checkinSetup();
    const t = ticket();
    const first = expectOk(await core.invoke('tags.activateForTicket', { ticketReference: t.reference, uid: '04A1A1A1' }));
    await scan('04A1A1A1', { at: '2026-07-11T10:00:00.000Z' });
    const replaced = expectOk(await core.invoke('tags.replace', { oldUid: '04:a1:a1:a1', newUid: '04B2B2B2' }));
    expect(replaced).toEqual({ customerId: anna, tagId: replaced.tagId, replacedTagIds: [first.tagId] });
    expect(tag(store, first.tagId)).toMatchObject({ active: 0, inactive_reason: 'replaced', inside_since: null });
    expect(tag(store, replaced.tagId)).toMatchObject({ uid: '04B2B2B2', customer_id: anna, ticket_id: t.id, active: 1, entry_count: 1, inside_since: '2026-07-11T10:00:00.000Z' });
    expect(await scan('04A1A1A1')).toMatchObject({ reason: 'tag_inactive' });
    expect(await scan('04B2B2B2')).toMatchObject({ reason: 'already_inside' });
    const byId = expectOk(await core.invoke('tags.replace', { oldTagId: replaced.tagId, newUid: '04C3C3C3' }));
    expect(byId.replacedTagIds).toEqual([replaced.tagId]);
  });

  it('replaces a wristband that was not the active one, deactivating the active one too', async () => {
    const { store, core, eventId, types, anna } = checkinSetup();
    const active = insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04A1A1A1', active: true });
    const spare = insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04B2B2B2' });
    const result = expectOk(await core.invoke('tags.replace', { oldTagId: spare, newUid: '04C3C3C3' }));
    expect(result).toEqual({ customerId: anna, tagId: result.tagId, replacedTagIds: [active, spare] });
    expect(tag(store, active)).toMatchObject({ active: 0, inactive_reason: 'replaced' });
    expect(tag(store, spare)).toMatchObject({ active: 0, inactive_reason: 'replaced' });
    expect(tag(store, result.tagId)).toMatchObject({ uid: '04C3C3C3', customer_id: anna, ticket_type_id: types.weekend, active: 1 });
    expect(auditRows(store).map((row) => [row.entity_id, row.after])).toEqual([
      [active, { active: false, inactiveReason: 'replaced' }],
      [spare, { active: false, inactiveReason: 'replaced' }],
      [result.tagId, expect.objectContaining({ uid: '04C3C3C3', active: true })],
    ]);
  });

  it('refuses banned old tags, taken new UIDs, unknown tags and ambiguous input, changing nothing', async () => {
    const { store, core, eventId, types, anna } = checkinSetup();
    const banned = insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04A1A1A1', banned: true });
    insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04B2B2B2', active: true });
    const before = snapshot(store);
    expectError(await core.invoke('tags.replace', { oldTagId: banned, newUid: '04C3C3C3' }), 'CONFLICT', 'oldTagId');
    expectError(await core.invoke('tags.replace', { oldUid: '04B2B2B2', newUid: '04A1A1A1' }), 'CONFLICT', 'newUid');
    expectError(await core.invoke('tags.replace', { oldUid: '04E5E5E5', newUid: '04C3C3C3' }), 'NOT_FOUND', 'oldUid');
    expectError(await core.invoke('tags.replace', { oldTagId: 'missing', newUid: '04C3C3C3' }), 'NOT_FOUND', 'tagId');
    expectError(await core.invoke('tags.replace', { newUid: '04C3C3C3' }), 'VALIDATION', 'oldTagId');
    expectError(await core.invoke('tags.replace', { oldTagId: banned, oldUid: '04A1A1A1', newUid: '04C3C3C3' }), 'VALIDATION', 'oldTagId');
    expectError(await core.invoke('tags.replace', { oldUid: '04B2B2B2', newUid: '08112233' }), 'VALIDATION', 'newUid');
    expect(snapshot(store)).toEqual(before);
  });
});
