import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { insertTag, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk } from '../../test/fixtures/commands.ts';
import { checkinSetup, scanRows, ticketPresence } from '../../test/fixtures/checkin.ts';

const admittedAt = '2026-07-11T10:00:00.000Z';
const after = (seconds: number) => new Date(Date.parse(admittedAt) + seconds * 1000).toISOString();

describe('checkin.undo', () => {
  it('undoes an admission 59 seconds later: the scan stays, marked undone, and the ticket can be admitted again', async () => {
    const { store, core, scan, ticket, setTime } = checkinSetup();
    const t = ticket();
    const admitted = await scan(t.reference, { at: admittedAt });
    setTime(after(59));
    const undone = expectOk(await core.invoke('checkin.undo', { scanId: admitted.scanId }));
    expect(undone).toEqual({ scanId: admitted.scanId, undoneAt: after(59), ticketId: t.id, tagId: null, entries: 0, inside: false });
    expect(scanRows(store)).toMatchObject([{ id: admitted.scanId, verdict: 'admitted', undone_at: after(59) }]);
    expect(ticketPresence(store, t.id)).toMatchObject({ entry_count: 0, inside_since: null, first_scan_at: null });
    expect(auditRows(store)).toMatchObject([
      {
        operation: 'checkin.undo@1',
        entity: 'ticket',
        entity_id: t.id,
        before: { undoneScanId: null, entries: 1, inside: true },
        after: { undoneScanId: admitted.scanId, entries: 0, inside: false },
      },
    ]);
    const again = await scan(t.reference);
    expect(again).toMatchObject({ reason: 'admitted', warning: null, entries: 1, firstAdmission: null });
  });

  it('undoes a wristband admission, recomputing the wristband presence', async () => {
    const { store, core, scan, eventId, types, anna, setTime } = checkinSetup();
    const tagId = insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04A1A1A1', active: true });
    const first = await scan('04A1A1A1', { at: admittedAt });
    await scan('04A1A1A1', { direction: 'exit', at: after(10) });
    const again = await scan('04A1A1A1', { at: after(20) });
    expect(again).toMatchObject({ reason: 'admitted', warning: 're_entry', entries: 2 });
    setTime(after(30));
    expect(expectOk(await core.invoke('checkin.undo', { scanId: again.scanId }))).toEqual({
      scanId: again.scanId,
      undoneAt: after(30),
      ticketId: null,
      tagId,
      entries: 1,
      inside: false,
    });
    expect(store.first(sql.selectFrom('tags').select(['entry_count', 'inside_since', 'inside_gate_id']).where('id', '=', tagId))).toEqual({
      entry_count: 1,
      inside_since: null,
      inside_gate_id: null,
    });
    expect(auditRows(store).at(-1)).toMatchObject({ entity: 'tag', entity_id: tagId, after: { undoneScanId: again.scanId, entries: 1, inside: false } });
    expect(expectError(await core.invoke('checkin.undo', { scanId: first.scanId }), 'CONFLICT', 'scanId').message).toBe(
      'This is not the latest admission of this wristband: undo the later one first',
    );
  });

  it('undoes an exit too, putting the ticket back inside', async () => {
    const { store, core, scan, ticket, setTime } = checkinSetup();
    const t = ticket();
    await scan(t.reference, { at: admittedAt });
    const exit = await scan(t.reference, { direction: 'exit', at: after(100) });
    setTime(after(130));
    expect(expectOk(await core.invoke('checkin.undo', { scanId: exit.scanId }))).toMatchObject({ entries: 1, inside: true });
    expect(ticketPresence(store, t.id)).toMatchObject({ entry_count: 1, inside_since: admittedAt, first_scan_at: admittedAt });
  });

  it('refuses after 60 seconds (61 s), changing nothing', async () => {
    const { store, core, scan, ticket, setTime } = checkinSetup();
    const admitted = await scan(ticket().reference, { at: admittedAt });
    setTime(after(61));
    const before = snapshot(store);
    const error = expectError(await core.invoke('checkin.undo', { scanId: admitted.scanId }), 'CONFLICT', 'scanId');
    expect(error.message).toContain('61 seconds old');
    expect(error.message).toContain('within 60 seconds');
    expect(snapshot(store)).toEqual(before);
  });

  it("refuses another terminal's admission", async () => {
    const { store, core, scan, ticket, setTime } = checkinSetup();
    const admitted = await scan(ticket().reference, { at: admittedAt });
    store.run(sql.updateTable('scans').set({ device_id: 'gate-north-2' }).where('id', '=', admitted.scanId));
    setTime(after(5));
    const before = snapshot(store);
    const error = expectError(await core.invoke('checkin.undo', { scanId: admitted.scanId }), 'CONFLICT', 'scanId');
    expect(error.message).toBe('This scan was made at another terminal; only that terminal can undo it');
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses rejections, a second undo, an admission that is no longer the latest, and unknown scans', async () => {
    const { store, core, scan, ticket, setTime } = checkinSetup();
    const t = ticket();
    const first = await scan(t.reference, { at: admittedAt });
    const duplicate = await scan(t.reference, { at: after(2) });
    const exit = await scan(t.reference, { direction: 'exit', at: after(4) });
    setTime(after(10));
    const before = snapshot(store);
    expect(expectError(await core.invoke('checkin.undo', { scanId: duplicate.scanId }), 'CONFLICT', 'scanId').message).toBe('This scan was rejected: there is no admission to undo');
    expect(expectError(await core.invoke('checkin.undo', { scanId: first.scanId }), 'CONFLICT', 'scanId').message).toContain('not the latest admission');
    expectError(await core.invoke('checkin.undo', { scanId: 'missing' }), 'NOT_FOUND', 'scanId');
    expectError(await core.invoke('checkin.undo', {} as never), 'VALIDATION', 'scanId');
    expect(snapshot(store)).toEqual(before);
    expectOk(await core.invoke('checkin.undo', { scanId: exit.scanId }));
    const again = expectError(await core.invoke('checkin.undo', { scanId: exit.scanId }), 'CONFLICT', 'scanId');
    expect(again.message).toContain('already undone');
  });

  it('is published to subscribers', async () => {
    const { core, scan, ticket, setTime } = checkinSetup();
    const admitted = await scan(ticket().reference, { at: admittedAt });
    setTime(after(1));
    const events: unknown[] = [];
    core.subscribe((event) => events.push(event));
    expectOk(await core.invoke('checkin.undo', { scanId: admitted.scanId }));
    expect(events).toMatchObject([{ type: 'checkin.undone', scanId: admitted.scanId, inside: false }]);
  });
});
