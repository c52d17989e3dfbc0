import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { insertEvent, insertTag, insertTicket, insertTicketType, insertTestCustomer, snapshot } from '../../test/fixtures/store.ts';
import { expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';
import { checkinSetup, scanRows, ticketPresence } from '../../test/fixtures/checkin.ts';
import type { CoreEvent } from '../api/pubsub.ts';

const saturdayNoon = '2026-07-11T10:00:00.000Z';

describe('checkin.scan: tickets', () => {
  it('admits a valid ticket and records the scan, the ticket state and the outbox command together', async () => {
    const { store, scan, ticket, gates, anna } = checkinSetup();
    const t = ticket();
    const verdict = await scan(t.reference, { at: saturdayNoon });
    expect(verdict).toMatchObject({
      verdict: 'admitted',
      reason: 'admitted',
      message: `Admitted: Ticket ${t.reference} (Weekend)`,
      warning: null,
      direction: 'entry',
      at: saturdayNoon,
      gate: { id: gates.main, name: 'Main entrance' },
      credential: 'ticket',
      ticket: { id: t.id, reference: t.reference, ticketType: 'Weekend', status: 'valid', invalidReason: null, redeemed: false, banned: false },
      tag: null,
      customer: { id: anna, displayName: 'Anna Berg' },
      entries: 1,
      maxEntries: null,
      firstAdmission: null,
    });
    expect(scanRows(store)).toMatchObject([
      {
        id: verdict.scanId,
        code: t.reference,
        ticket_id: t.id,
        tag_id: null,
        gate_id: gates.main,
        direction: 'entry',
        verdict: 'admitted',
        reason: 'admitted',
        operator: 'operator-1',
        scanned_at: saturdayNoon,
        undone_at: null,
      },
    ]);
    expect(ticketPresence(store, t.id)).toEqual({
      entry_count: 1,
      inside_since: saturdayNoon,
      inside_gate_id: gates.main,
      first_scan_at: saturdayNoon,
      last_scan_at: saturdayNoon,
      last_scan_gate_id: gates.main,
    });
    const [command] = outboxRows(store);
    expect(command).toMatchObject({ seq: 1, name: 'checkin.scan', version: 1, args: { code: t.reference, gateId: gates.main, direction: 'entry', scanId: verdict.scanId } });
    expect(scanRows(store)[0]!.device_id).toBe(store.first(sql.selectFrom('terminal_state').select('value').where('key', '=', 'device_id'))!.value);
  });

  it('rejects the second scan as a duplicate, naming when and where it was first admitted', async () => {
    const { store, scan, ticket, gates } = checkinSetup();
    const t = ticket();
    await scan(t.reference, { at: saturdayNoon });
    const second = await scan(t.reference, { at: '2026-07-11T10:05:00.000Z', gateId: gates.vip });
    expect(second).toMatchObject({
      verdict: 'rejected',
      reason: 'already_inside',
      message: `Already inside: Ticket ${t.reference} entered Sat, 11 Jul 2026, 12:00 at Main entrance`,
      firstAdmission: { at: saturdayNoon, gate: 'Main entrance' },
      entries: 1,
    });
    // The attempt is recorded too, and becomes the ticket's last scan; its state is unchanged.
    expect(scanRows(store).map((row) => [row.verdict, row.reason, row.gate_id])).toEqual([
      ['admitted', 'admitted', gates.main],
      ['rejected', 'already_inside', gates.vip],
    ]);
    expect(ticketPresence(store, t.id)).toMatchObject({ entry_count: 1, inside_since: saturdayNoon, first_scan_at: saturdayNoon, last_scan_at: '2026-07-11T10:05:00.000Z', last_scan_gate_id: gates.vip });
    expect(outboxRows(store).map((row) => row.name)).toEqual(['checkin.scan', 'checkin.scan']);
  });

  it.each(['canceled', 'refunded', 'transferred'] as const)('rejects a %s ticket with that reason', async (invalidReason) => {
    const { store, scan, ticket } = checkinSetup();
    const t = ticket(undefined, { invalidReason });
    const verdict = await scan(t.reference, { at: saturdayNoon });
    expect(verdict).toMatchObject({ verdict: 'rejected', reason: invalidReason, message: `Ticket ${t.reference} is invalid: ${invalidReason}` });
    expect(verdict.ticket).toMatchObject({ status: 'invalid', invalidReason });
    expect(ticketPresence(store, t.id)).toMatchObject({ entry_count: 0, inside_since: null, first_scan_at: null, last_scan_at: saturdayNoon });
  });

  it('rejects banned and redeemed tickets', async () => {
    const { scan, ticket } = checkinSetup();
    expect(await scan(ticket(undefined, { banned: true, redeemed: true }).reference, { at: saturdayNoon })).toMatchObject({ reason: 'banned' });
    const redeemed = await scan(ticket(undefined, { redeemed: true }).reference);
    expect(redeemed).toMatchObject({ reason: 'redeemed', message: expect.stringContaining('exchanged for a wristband') });
  });

  it('applies the validity window at its edges, with messages in the event time zone', async () => {
    const { scan, ticket, types } = checkinSetup();
    const early = await scan(ticket(types.saturday).reference, { at: '2026-07-11T07:59:59.999Z' });
    expect(early).toMatchObject({ reason: 'not_yet_valid', message: expect.stringContaining('valid from Sat, 11 Jul 2026, 10:00') });
    expect(await scan(ticket(types.saturday).reference, { at: '2026-07-11T08:00:00.000Z' })).toMatchObject({ reason: 'admitted' });
    expect(await scan(ticket(types.saturday).reference, { at: '2026-07-12T02:00:00.000Z' })).toMatchObject({ reason: 'admitted' });
    const late = await scan(ticket(types.saturday).reference, { at: '2026-07-12T02:00:00.001Z' });
    expect(late).toMatchObject({ reason: 'expired', message: expect.stringContaining('valid until Sun, 12 Jul 2026, 04:00') });
  });

  it('admits a type only at its gates; a terminal without a gate is not restricted', async () => {
    const { scan, ticket, types, gates } = checkinSetup();
    const vip = ticket(types.vipOnly);
    expect(await scan(vip.reference, { at: saturdayNoon })).toMatchObject({ reason: 'wrong_gate', message: `Ticket ${vip.reference} (VIP) is not admitted at Main entrance` });
    expect(await scan(vip.reference, { gateId: gates.vip })).toMatchObject({ reason: 'admitted' });
    expect(await scan(ticket(types.vipOnly).reference, { gateId: null })).toMatchObject({ reason: 'admitted', gate: null });
  });

  it('in, out, in again: re-entry allowed is admitted with a warning', async () => {
    const { store, scan, ticket } = checkinSetup();
    const t = ticket();
    expect(await scan(t.reference, { at: saturdayNoon })).toMatchObject({ reason: 'admitted', warning: null, entries: 1 });
    expect(await scan(t.reference, { direction: 'exit' })).toMatchObject({ verdict: 'admitted', reason: 'admitted', message: `Exit: Ticket ${t.reference} is out`, entries: 1 });
    expect(ticketPresence(store, t.id)).toMatchObject({ entry_count: 1, inside_since: null, inside_gate_id: null });
    expect(await scan(t.reference, { direction: 'exit' })).toMatchObject({ verdict: 'rejected', reason: 'not_inside' });
    const again = await scan(t.reference);
    expect(again).toMatchObject({ reason: 'admitted', warning: 're_entry', entries: 2, firstAdmission: { at: saturdayNoon, gate: 'Main entrance' } });
    expect(ticketPresence(store, t.id)).toMatchObject({ entry_count: 2, first_scan_at: saturdayNoon, inside_since: again.at });
  });

  it('in, out, in again: no re-entry when the type forbids it', async () => {
    const { scan, ticket, types } = checkinSetup();
    const t = ticket(types.noReentry);
    expect(await scan(t.reference, { at: saturdayNoon })).toMatchObject({ reason: 'admitted' });
    expect(await scan(t.reference)).toMatchObject({ reason: 'already_inside' });
    expect(await scan(t.reference, { direction: 'exit' })).toMatchObject({ reason: 'admitted' });
    expect(await scan(t.reference)).toMatchObject({ verdict: 'rejected', reason: 'reentry_not_allowed', firstAdmission: { at: saturdayNoon } });
  });

  it('in, out, in again: max entries', async () => {
    const { scan, ticket, types } = checkinSetup();
    const once = ticket(types.once);
    await scan(once.reference, { at: saturdayNoon });
    await scan(once.reference, { direction: 'exit' });
    expect(await scan(once.reference)).toMatchObject({ reason: 'max_entries_reached', maxEntries: 1, entries: 1, message: `Ticket ${once.reference} has used all its 1 entry` });

    const twice = ticket(types.twice);
    expect(await scan(twice.reference)).toMatchObject({ reason: 'admitted', entries: 1, maxEntries: 2 });
    await scan(twice.reference, { direction: 'exit' });
    expect(await scan(twice.reference)).toMatchObject({ reason: 'admitted', warning: 're_entry', entries: 2 });
    expect(await scan(twice.reference)).toMatchObject({ reason: 'already_inside' });
    await scan(twice.reference, { direction: 'exit' });
    expect(await scan(twice.reference)).toMatchObject({ reason: 'max_entries_reached', entries: 2 });
  });

  it('looks the reference up exactly (after trimming), else in another case, and says when it belongs to another event', async () => {
    const { store, scan, ticket } = checkinSetup();
    const t = ticket();
    expect(await scan(`  ${t.reference} `, { at: saturdayNoon })).toMatchObject({ reason: 'admitted' });
    // The same ticket read from a lower-case barcode: found, and already inside.
    expect(await scan(t.reference.toLowerCase())).toMatchObject({ verdict: 'rejected', reason: 'already_inside', credential: 'ticket', ticket: { id: t.id } });
    expect(await scan('NO-SUCH-TICKET')).toMatchObject({ verdict: 'rejected', reason: 'unknown', credential: null, ticket: null, customer: null });
    expect(await scan('wf-1')).toMatchObject({ reason: 'unknown' });
    const winter = insertEvent(store, { name: 'Winter Fair' });
    const winterType = insertTicketType(store, winter);
    const elsewhere = insertTicket(store, { eventId: winter, ticketTypeId: winterType, reference: 'WF-1' });
    store.run(sql.insertInto('terminal_state').values({ key: 'event_id', value: store.first(sql.selectFrom('events').select('id').where('name', '=', 'Summer Festival'))!.id }));
    const verdict = await scan('WF-1');
    expect(verdict).toMatchObject({ verdict: 'rejected', reason: 'other_event', credential: 'ticket', message: 'Ticket WF-1 is for another event (Winter Fair)' });
    expect(await scan('wf-1')).toMatchObject({ reason: 'other_event', credential: 'ticket' });
    expect(scanRows(store).at(-1)).toMatchObject({ ticket_id: elsewhere, reason: 'other_event' });
    expect(ticketPresence(store, elsewhere)).toMatchObject({ last_scan_at: null });
  });
});

describe('checkin.scan: references beyond ASCII', () => {
  it('folds ASCII case only, on every store (PostgreSQL lower() folds more than SQLite)', async () => {
    const { scan, ticket } = checkinSetup();
    const summer = ticket(undefined, { reference: 'Été-7' });
    expect(await scan('été-7', { at: saturdayNoon })).toMatchObject({ reason: 'unknown', credential: null });
    expect(await scan('ÉTÉ-7')).toMatchObject({ reason: 'unknown', credential: null });
    expect(await scan('ÉTé-7')).toMatchObject({ reason: 'admitted', ticket: { id: summer.id } });
  });

  it('names one other event, the same on every store, when several hold the code', async () => {
    const { store, scan } = checkinSetup();
    const others = ['Winter Fair', 'Spring Fair'].map((name) => {
      const event = insertEvent(store, { name });
      insertTicket(store, { eventId: event, ticketTypeId: insertTicketType(store, event), reference: 'FAIR-1' });
      return { event, name };
    });
    store.run(sql.insertInto('terminal_state').values({ key: 'event_id', value: store.first(sql.selectFrom('events').select('id').where('name', '=', 'Summer Festival'))!.id }));
    const first = others.sort((a, b) => (a.event < b.event ? -1 : 1))[0]!;
    expect(await scan('fair-1', { at: saturdayNoon })).toMatchObject({ reason: 'other_event', message: `Ticket fair-1 is for another event (${first.name})` });
    expect(await scan('FAIR-1')).toMatchObject({ reason: 'other_event', message: `Ticket FAIR-1 is for another event (${first.name})` });
  });
});

describe('checkin.scan: wristbands (tags)', () => {
  function withTags() {
    const setup = checkinSetup();
    const { store, eventId, types, anna } = setup;
    const active = insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04A224B2C33F80', active: true });
    const old = insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04B1B1B1' });
    store.run(sql.updateTable('tags').set({ inactive_reason: 'replaced' }).where('id', '=', old));
    return { ...setup, active, old };
  }

  it('admits the active tag in any UID spelling and records the scan against the tag', async () => {
    const { store, scan, active, anna } = withTags();
    const verdict = await scan('04:a2:24:b2:c3:3f:80', { at: saturdayNoon });
    expect(verdict).toMatchObject({
      verdict: 'admitted',
      credential: 'tag',
      ticket: null,
      tag: { id: active, uid: '04A224B2C33F80', ticketType: 'Weekend', active: true, banned: false, inactiveReason: null },
      customer: { id: anna, displayName: 'Anna Berg' },
      message: 'Admitted: Wristband 04A224B2C33F80 (Weekend)',
    });
    expect(scanRows(store)).toMatchObject([{ code: '04A224B2C33F80', ticket_id: null, tag_id: active }]);
    expect(store.first(sql.selectFrom('tags').select(['entry_count', 'inside_since']).where('id', '=', active))).toEqual({ entry_count: 1, inside_since: saturdayNoon });
    expect(await scan('04A224B2C33F80')).toMatchObject({ reason: 'already_inside', firstAdmission: { at: saturdayNoon, gate: 'Main entrance' } });
    expect(await scan('04A224B2C33F80', { direction: 'exit' })).toMatchObject({ reason: 'admitted' });
    expect(await scan('04A224B2C33F80')).toMatchObject({ reason: 'admitted', warning: 're_entry' });
  });

  it('rejects a tag that is not the active one, saying it was replaced', async () => {
    const { scan } = withTags();
    expect(await scan('04-b1-b1-b1', { at: saturdayNoon })).toMatchObject({ reason: 'tag_inactive', message: 'Wristband 04B1B1B1 is not the active wristband: it was replaced' });
  });

  it('rejects banned tags before anything else, and applies the tag type rules', async () => {
    const { store, scan, eventId, types, active } = withTags();
    store.run(sql.updateTable('tags').set({ banned: 1 }).where('id', '=', active));
    expect(await scan('04A224B2C33F80', { at: saturdayNoon })).toMatchObject({ reason: 'banned', message: 'Wristband 04A224B2C33F80 is banned' });
    const bob = insertTestCustomer(store, { first_name: 'Bob' });
    insertTag(store, { eventId, ticketTypeId: types.vipOnly, customerId: bob, uid: '04C3C3C3', active: true });
    expect(await scan('04C3C3C3')).toMatchObject({ reason: 'wrong_gate' });
    const carl = insertTestCustomer(store, { first_name: 'Carl' });
    insertTag(store, { eventId, ticketTypeId: types.saturday, customerId: carl, uid: '04D4D4D4', active: true });
    expect(await scan('04D4D4D4', { at: '2026-07-10T12:00:00.000Z' })).toMatchObject({ reason: 'not_yet_valid' });
    expect(await scan('04E5E5E5')).toMatchObject({ reason: 'unknown' });
  });

  it('prefers a ticket whose reference looks like a UID over the tag', async () => {
    const { scan, ticket } = withTags();
    const t = ticket(undefined, { reference: '04A224B2C33F80' });
    expect(await scan('04A224B2C33F80', { at: saturdayNoon })).toMatchObject({ credential: 'ticket', ticket: { id: t.id } });
  });
});

describe('checkin.scan: events, concurrency and bad input', () => {
  it('publishes each verdict after it is stored', async () => {
    const { store, core, scan, ticket } = checkinSetup();
    const seen: CoreEvent[] = [];
    core.subscribe((event) => {
      seen.push(event);
      if (event.type === 'checkin.verdict') expect(scanRows(store).map((row) => row.id)).toContain(event.verdict.scanId);
    });
    const verdict = await scan(ticket().reference, { at: saturdayNoon });
    expect(seen).toEqual([{ type: 'checkin.verdict', verdict }]);
  });

  it('never admits one ticket twice when two scans race in one process', async () => {
    const { core, store, ticket, gates, setTime } = checkinSetup();
    setTime(saturdayNoon);
    const t = ticket();
    const results = await Promise.all([
      core.invoke('checkin.scan', { code: t.reference, gateId: gates.main }),
      core.invoke('checkin.scan', { code: t.reference, gateId: gates.vip }),
    ]);
    const verdicts = results.map((result) => expectOk(result));
    expect(verdicts.map((verdict) => verdict.reason).sort()).toEqual(['admitted', 'already_inside']);
    expect(ticketPresence(store, t.id).entry_count).toBe(1);
  });

  it('refuses unknown gates, gates of another event and malformed input, changing nothing', async () => {
    const { store, core, ticket } = checkinSetup();
    const t = ticket();
    const winter = insertEvent(store, { name: 'Winter Fair' });
    const winterGate = store.first(sql.selectFrom('gates').select('id'))!.id;
    store.run(sql.updateTable('gates').set({ event_id: winter }).where('id', '=', winterGate));
    const summer = store.first(sql.selectFrom('events').select('id').where('name', '=', 'Summer Festival'))!.id;
    const before = snapshot(store);
    expectError(await core.invoke('checkin.scan', { code: t.reference, gateId: 'nope', eventId: summer }), 'NOT_FOUND', 'gateId');
    const other = expectError(await core.invoke('checkin.scan', { code: t.reference, gateId: winterGate, eventId: summer }), 'VALIDATION', 'gateId');
    expect(other.message).toContain('another event');
    // Two events and none chosen: the terminal must say which.
    expectError(await core.invoke('checkin.scan', { code: t.reference }), 'VALIDATION', 'eventId');
    expectError(await core.invoke('checkin.scan', { code: t.reference, eventId: 'missing' }), 'NOT_FOUND', 'eventId');
    expectError(await core.invoke('checkin.scan', { code: '   ', eventId: summer }), 'VALIDATION', 'code');
    expectError(await core.invoke('checkin.scan', { code: 'A\u0007B', eventId: summer }), 'VALIDATION', 'code');
    expectError(await core.invoke('checkin.scan', { code: 'x'.repeat(129), eventId: summer }), 'VALIDATION', 'code');
    expectError(await core.invoke('checkin.scan', { code: t.reference, direction: 'sideways', eventId: summer } as never), 'VALIDATION', 'direction');
    expectError(await core.invoke('checkin.scan', { eventId: summer } as never), 'VALIDATION', 'code');
    expect(snapshot(store)).toEqual(before);
  });
});
