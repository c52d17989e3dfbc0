import { describe, expect, it } from 'vitest';
import { snapshot } from '../../test/fixtures/store.ts';
import { expectError, expectOk } from '../../test/fixtures/commands.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';

describe('checkin.counts', () => {
  it("counts the event's day in its time zone: inside now, per gate, per quarter hour, by reason", async () => {
    const { core, scan, ticket, types, gates, setTime } = checkinSetup();
    const a = ticket();
    const b = ticket();
    const c = ticket(types.vipOnly);
    // 23:50 on Friday in Amsterdam (21:50Z): a scan of the previous day.
    await scan(a.reference, { at: '2026-07-10T21:50:00.000Z' });
    await scan(a.reference, { direction: 'exit', at: '2026-07-10T22:05:00.000Z' });
    await scan(a.reference, { at: '2026-07-10T22:10:00.000Z' });
    await scan(b.reference, { at: '2026-07-10T22:14:59.000Z' });
    await scan(b.reference, { at: '2026-07-10T22:20:00.000Z' });
    await scan(c.reference, { at: '2026-07-10T22:21:00.000Z' });
    await scan(c.reference, { gateId: gates.vip, at: '2026-07-10T22:22:00.000Z' });
    const undone = await scan(ticket().reference, { gateId: gates.vip, at: '2026-07-10T22:30:00.000Z' });
    setTime('2026-07-10T22:30:10.000Z');
    expectOk(await core.invoke('checkin.undo', { scanId: undone.scanId }));
    await scan('NOPE-1', { at: '2026-07-10T22:40:00.000Z' });

    setTime('2026-07-11T09:00:00.000Z');
    const counts = expectOk(await core.invoke('checkin.counts', {}));
    expect(counts).toMatchObject({
      day: '2026-07-11',
      timeZone: 'Europe/Amsterdam',
      from: '2026-07-10T22:00:00.000Z',
      to: '2026-07-11T22:00:00.000Z',
      insideNow: 3,
      admittedToday: 3,
      exitsToday: 1,
      rejectedToday: 3,
      undoneToday: 1,
    });
    expect(counts.perGate).toEqual([
      { gateId: gates.main, gate: 'Main entrance', admitted: 2, rejected: 3, exits: 1, insideNow: 2 },
      { gateId: gates.vip, gate: 'VIP entrance', admitted: 1, rejected: 0, exits: 0, insideNow: 1 },
    ]);
    expect(counts.per15Minutes).toHaveLength(96);
    expect(counts.per15Minutes.slice(0, 3)).toEqual([
      { start: '2026-07-10T22:00:00.000Z', admitted: 2, rejected: 0 },
      { start: '2026-07-10T22:15:00.000Z', admitted: 1, rejected: 2 },
      { start: '2026-07-10T22:30:00.000Z', admitted: 0, rejected: 1 },
    ]);
    expect(counts.rejectedByReason).toEqual([
      { reason: 'already_inside', count: 1 },
      { reason: 'unknown', count: 1 },
      { reason: 'wrong_gate', count: 1 },
    ]);

    const friday = expectOk(await core.invoke('checkin.counts', { day: '2026-07-10' }));
    expect(friday).toMatchObject({ admittedToday: 1, rejectedToday: 0, insideNow: 3 });
  });

  it('has 92 quarter hours on the spring DST day and names scans without a gate', async () => {
    const { core, scan, ticket } = checkinSetup();
    await scan(ticket().reference, { gateId: null, at: '2026-03-29T10:00:00.000Z' });
    const counts = expectOk(await core.invoke('checkin.counts', { day: '2026-03-29' }));
    expect(counts.per15Minutes).toHaveLength(92);
    expect(counts.perGate.at(-1)).toEqual({ gateId: null, gate: 'No gate', admitted: 1, rejected: 0, exits: 0, insideNow: 1 });
  });

  it('refuses malformed days and unknown events, changing nothing', async () => {
    const { store, core } = checkinSetup();
    const before = snapshot(store);
    expectError(await core.invoke('checkin.counts', { day: '11-07-2026' }), 'VALIDATION', 'day');
    expectError(await core.invoke('checkin.counts', { day: '2026-02-30' }), 'VALIDATION', 'day');
    expectError(await core.invoke('checkin.counts', { eventId: 'missing' }), 'NOT_FOUND', 'eventId');
    expect(snapshot(store)).toEqual(before);
  });
});
