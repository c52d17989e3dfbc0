import { describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import {
  createTestCore,
  insertEvent,
  insertTag,
  insertTestCustomer,
  insertTicketType,
  snapshot,
} from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';

function setup() {
  const test = createTestCore();
  const eventId = insertEvent(test.store);
  const typeId = insertTicketType(test.store, eventId, 'Weekend');
  const anna = insertTestCustomer(test.store, { first_name: 'Anna', last_name: 'Berg' });
  const bob = insertTestCustomer(test.store, { first_name: 'Bob', last_name: 'Smit' });
  return { ...test, eventId, typeId, anna, bob };
}

const tagRow = (store: Store, id: string) =>
  store.first(sql.selectFrom('tags').select(['uid', 'event_id', 'customer_id', 'active', 'banned', 'inactive_reason']).where('id', '=', id))!;

const activeTags = (store: Store, customerId: string) =>
  store.all(sql.selectFrom('tags').select('id').where('customer_id', '=', customerId).where('active', '=', 1)).map((row) => row.id);

describe('tags.assign', () => {
  it("registers a tag by UID in the ticket type's event, active when it is the customer's first", async () => {
    const { store, core, eventId, typeId, anna } = setup();
    const result = expectOk(await core.invoke('tags.assign', { customerId: anna, uid: '04:a2:24:b2:c3:3f:80', ticketTypeId: typeId }));
    expect(result.active).toBe(true);
    expect(tagRow(store, result.tagId)).toEqual({
      uid: '04A224B2C33F80',
      event_id: eventId,
      customer_id: anna,
      active: 1,
      banned: 0,
      inactive_reason: null,
    });
    expect(auditRows(store)).toMatchObject([
      {
        operator: 'operator-1',
        operation: 'tags.assign@1',
        entity: 'tag',
        entity_id: result.tagId,
        before: null,
        after: { uid: '04A224B2C33F80', customerId: anna, ticketTypeId: typeId, eventId, active: true },
      },
    ]);
    expect(outboxRows(store)).toMatchObject([
      { seq: 1, name: 'tags.assign', version: 1, args: { customerId: anna, uid: '04A224B2C33F80', ticketTypeId: typeId } },
    ]);
  });

  it('keeps one active tag: later tags wait inactive unless makeActive replaces the active one', async () => {
    const { store, core, typeId, anna } = setup();
    const first = expectOk(await core.invoke('tags.assign', { customerId: anna, uid: '04A1A1A1', ticketTypeId: typeId }));
    const second = expectOk(await core.invoke('tags.assign', { customerId: anna, uid: '04B2B2B2', ticketTypeId: typeId }));
    expect(second.active).toBe(false);
    expect(tagRow(store, second.tagId)).toMatchObject({ active: 0, inactive_reason: null });
    expect(activeTags(store, anna)).toEqual([first.tagId]);

    const third = expectOk(await core.invoke('tags.assign', { customerId: anna, uid: '04C3C3C3', ticketTypeId: typeId, makeActive: true }));
    expect(third.active).toBe(true);
    expect(activeTags(store, anna)).toEqual([third.tagId]);
    expect(tagRow(store, first.tagId)).toMatchObject({ active: 0, inactive_reason: 'replaced' });
    expect(auditRows(store).filter((row) => row.entity_id === first.tagId).at(-1)).toMatchObject({
      operation: 'tags.assign@1',
      before: { active: true, inactiveReason: null },
      after: { active: false, inactiveReason: 'replaced' },
    });
  });

  it('counts active tags per event: a tag in another event does not block activation', async () => {
    const { store, core, typeId, anna } = setup();
    const otherEvent = insertEvent(store, { name: 'Winter Fair' });
    const otherType = insertTicketType(store, otherEvent);
    expectOk(await core.invoke('tags.assign', { customerId: anna, uid: '04A1A1A1', ticketTypeId: typeId }));
    const other = expectOk(await core.invoke('tags.assign', { customerId: anna, uid: '04A1A1A1', ticketTypeId: otherType }));
    expect(other.active).toBe(true);
    expect(activeTags(store, anna)).toHaveLength(2);
  });

  it('refuses a UID already registered in the event, naming the holder', async () => {
    const { store, core, eventId, typeId, anna, bob } = setup();
    insertTag(store, { eventId, ticketTypeId: typeId, customerId: bob, uid: '04A224B2C33F80', active: true });
    const before = snapshot(store);
    const error = expectError(
      await core.invoke('tags.assign', { customerId: anna, uid: '04-A2-24-B2-C3-3F-80', ticketTypeId: typeId }),
      'CONFLICT',
      'uid',
    );
    expect(error.message).toContain('Bob Smit');
    expect(error.message).not.toContain(bob);
    expectError(await core.invoke('tags.assign', { customerId: bob, uid: '04A224B2C33F80', ticketTypeId: typeId }), 'CONFLICT', 'uid');
    expect(snapshot(store)).toEqual(before);
  });

  it('names an anonymous holder as such, never by its id', async () => {
    const { store, core, eventId, typeId, anna } = setup();
    const anonymous = insertTestCustomer(store);
    insertTag(store, { eventId, ticketTypeId: typeId, customerId: anonymous, uid: '04A1A1A1' });
    const error = expectError(await core.invoke('tags.assign', { customerId: anna, uid: '04a1a1a1', ticketTypeId: typeId }), 'CONFLICT', 'uid');
    expect(error.message).toBe("Tag 04A1A1A1 is already registered in this event to an anonymous customer");
  });

  it('refuses random UIDs (phones, bank cards)', async () => {
    const { store, core, typeId, anna } = setup();
    const before = snapshot(store);
    const error = expectError(await core.invoke('tags.assign', { customerId: anna, uid: '08:1F:2E:3D', ticketTypeId: typeId }), 'VALIDATION', 'uid');
    expect(error.message).toContain('is a random UID, not a wristband');
    expect(snapshot(store)).toEqual(before);
  });

  it.each([
    [{ uid: '04:A2:ZZ' }, 'uid'],
    [{ uid: '04A224B2C3' }, 'uid'],
    [{ uid: '' }, 'uid'],
    [{ uid: 1234 }, 'uid'],
    [{ ticketTypeId: '' }, 'ticketTypeId'],
    [{ makeActive: 'yes' }, 'makeActive'],
  ])('refuses malformed input %j with VALIDATION on %s', async (change, field) => {
    const { store, core, typeId, anna } = setup();
    const before = snapshot(store);
    expectError(await core.invoke('tags.assign', { customerId: anna, uid: '04A1A1A1', ticketTypeId: typeId, ...change } as never), 'VALIDATION', field);
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses unknown customers and unknown or deleted ticket types', async () => {
    const { store, core, eventId, typeId, anna } = setup();
    const deletedType = insertTicketType(store, eventId, 'Old');
    store.run(sql.updateTable('ticket_types').set({ deleted_at: '2026-05-02T00:00:00.000Z' }).where('id', '=', deletedType));
    const before = snapshot(store);
    expectError(await core.invoke('tags.assign', { customerId: 'missing', uid: '04A1A1A1', ticketTypeId: typeId }), 'NOT_FOUND', 'customerId');
    expect(expectError(await core.invoke('tags.assign', { customerId: anna, uid: '04A1A1A1', ticketTypeId: 'missing' }), 'NOT_FOUND', 'ticketTypeId').message).not.toContain('missing');
    expectError(await core.invoke('tags.assign', { customerId: anna, uid: '04A1A1A1', ticketTypeId: deletedType }), 'NOT_FOUND', 'ticketTypeId');
    expect(snapshot(store)).toEqual(before);
  });
});

describe('tags.makeActive', () => {
  it("switches the customer's active tag among several, deactivating the others", async () => {
    const { store, core, eventId, typeId, anna, bob } = setup();
    const a = insertTag(store, { eventId, ticketTypeId: typeId, customerId: anna, uid: '04A1A1A1', active: true });
    const b = insertTag(store, { eventId, ticketTypeId: typeId, customerId: anna, uid: '04B2B2B2' });
    const c = insertTag(store, { eventId, ticketTypeId: typeId, customerId: anna, uid: '04C3C3C3' });
    const bobs = insertTag(store, { eventId, ticketTypeId: typeId, customerId: bob, uid: '04D4D4D4', active: true });

    expect(expectOk(await core.invoke('tags.makeActive', { tagId: b }))).toEqual({ tagId: b, active: true, banned: false });
    expect(activeTags(store, anna)).toEqual([b]);
    expect(tagRow(store, a)).toMatchObject({ active: 0, inactive_reason: 'deactivated' });
    expectOk(await core.invoke('tags.makeActive', { tagId: c }));
    expect(activeTags(store, anna)).toEqual([c]);
    expect(tagRow(store, b)).toMatchObject({ active: 0, inactive_reason: 'deactivated' });
    expectOk(await core.invoke('tags.makeActive', { tagId: a }));
    expect(tagRow(store, a)).toMatchObject({ active: 1, inactive_reason: null });
    expect(activeTags(store, bob)).toEqual([bobs]);

    expect(auditRows(store).slice(0, 2)).toMatchObject([
      { operation: 'tags.makeActive@1', entity: 'tag', entity_id: a, before: { active: true }, after: { active: false, inactiveReason: 'deactivated' } },
      { operation: 'tags.makeActive@1', entity: 'tag', entity_id: b, before: { active: false }, after: { active: true, inactiveReason: null } },
    ]);
  });

  it('is a no-op success on the active tag', async () => {
    const { store, core, eventId, typeId, anna } = setup();
    const a = insertTag(store, { eventId, ticketTypeId: typeId, customerId: anna, uid: '04A1A1A1', active: true });
    expect(expectOk(await core.invoke('tags.makeActive', { tagId: a }))).toEqual({ tagId: a, active: true, banned: false });
    expect(auditRows(store)).toEqual([]);
  });

  it('refuses a banned tag and unknown tags, changing nothing', async () => {
    const { store, core, eventId, typeId, anna } = setup();
    insertTag(store, { eventId, ticketTypeId: typeId, customerId: anna, uid: '04A1A1A1', active: true });
    const banned = insertTag(store, { eventId, ticketTypeId: typeId, customerId: anna, uid: '04B2B2B2', banned: true });
    const before = snapshot(store);
    const error = expectError(await core.invoke('tags.makeActive', { tagId: banned }), 'CONFLICT', 'tagId');
    expect(error.message).toContain('04B2B2B2');
    expectError(await core.invoke('tags.makeActive', { tagId: 'missing' }), 'NOT_FOUND', 'tagId');
    expectError(await core.invoke('tags.makeActive', {} as never), 'VALIDATION', 'tagId');
    expect(snapshot(store)).toEqual(before);
  });
});

describe('tags.setBanned', () => {
  it('bans and unbans a tag, keeping its active flag', async () => {
    const { store, core, eventId, typeId, anna } = setup();
    const tag = insertTag(store, { eventId, ticketTypeId: typeId, customerId: anna, uid: '04A1A1A1', active: true });
    expect(expectOk(await core.invoke('tags.setBanned', { tagId: tag, banned: true }))).toEqual({ tagId: tag, active: true, banned: true });
    expect(tagRow(store, tag)).toMatchObject({ active: 1, banned: 1 });
    expect(expectOk(await core.invoke('tags.setBanned', { tagId: tag, banned: false }))).toEqual({ tagId: tag, active: true, banned: false });
    expect(auditRows(store)).toMatchObject([
      { operation: 'tags.setBanned@1', entity: 'tag', entity_id: tag, before: { banned: false }, after: { banned: true } },
      { operation: 'tags.setBanned@1', entity: 'tag', entity_id: tag, before: { banned: true }, after: { banned: false } },
    ]);
    expectOk(await core.invoke('tags.setBanned', { tagId: tag, banned: false }));
    expect(auditRows(store)).toHaveLength(2);
    expect(outboxRows(store).map((row) => row.seq)).toEqual([1, 2]);
  });

  it('refuses unknown tags and malformed input', async () => {
    const { store, core } = setup();
    const before = snapshot(store);
    expectError(await core.invoke('tags.setBanned', { tagId: 'missing', banned: true }), 'NOT_FOUND', 'tagId');
    expectError(await core.invoke('tags.setBanned', { tagId: 'missing' } as never), 'VALIDATION', 'banned');
    expect(snapshot(store)).toEqual(before);
  });
});
