import { describe, expect, it } from 'vitest';
import { createTestCore, insertEvent, insertTag, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk } from '../../test/fixtures/commands.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';

describe('gates.create and gates.list', () => {
  it("adds gates to the event and lists them by name", async () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    const north = expectOk(await core.invoke('gates.create', { name: ' North gate ', zone: 'Grounds' }));
    expect(north).toMatchObject({ name: 'North gate', zone: 'Grounds' });
    const east = expectOk(await core.invoke('gates.create', { name: 'East gate', zone: '' }));
    expect(east.zone).toBeNull();
    expect(expectOk(await core.invoke('gates.list', {}))).toEqual({ gates: [east, north] });
    expect(auditRows(store)[0]).toMatchObject({ operation: 'gates.create@1', entity: 'gate', entity_id: north.id, after: { name: 'North gate', zone: 'Grounds', eventId } });
  });

  it('refuses a duplicate name in the event and malformed input, changing nothing', async () => {
    const { store, core } = createTestCore();
    insertEvent(store);
    expectOk(await core.invoke('gates.create', { name: 'North gate' }));
    const before = snapshot(store);
    expect(expectError(await core.invoke('gates.create', { name: 'North gate' }), 'CONFLICT', 'name').message).toContain('already has a gate named North gate');
    expectError(await core.invoke('gates.create', { name: '  ' }), 'VALIDATION', 'name');
    expectError(await core.invoke('gates.create', { name: 'x'.repeat(81) }), 'VALIDATION', 'name');
    expectError(await core.invoke('gates.create', { name: 'West', eventId: 'missing' }), 'NOT_FOUND', 'eventId');
    expect(snapshot(store)).toEqual(before);
  });
});

describe('tags.scanHistory', () => {
  it("lists a tag's scans newest first", async () => {
    const { store, core, scan, eventId, types } = checkinSetup();
    const customerId = insertTestCustomer(store);
    const tagId = insertTag(store, { eventId, ticketTypeId: types.weekend, customerId, uid: '04A1A1A1', active: true });
    const first = await scan('04A1A1A1', { at: '2026-07-11T10:00:00.000Z' });
    const second = await scan('04a1a1a1', { at: '2026-07-11T10:01:00.000Z' });
    const history = expectOk(await core.invoke('tags.scanHistory', { tagId }));
    expect(history.tag).toEqual({ id: tagId, uid: '04A1A1A1' });
    expect(history.scans.map((entry) => [entry.id, entry.verdict, entry.reason, entry.gate])).toEqual([
      [second.scanId, 'rejected', 'already_inside', 'Main entrance'],
      [first.scanId, 'admitted', 'admitted', 'Main entrance'],
    ]);
    expectError(await core.invoke('tags.scanHistory', { tagId: 'missing' }), 'NOT_FOUND', 'tagId');
  });
});
