import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../api/pubsub.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';
import { snapshot } from '../../test/fixtures/store.ts';

const outboxNames = (test: ReturnType<typeof checkinSetup>) =>
  (test.store.db.prepare('SELECT name FROM outbox ORDER BY seq').all() as { name: string }[]).map((row) => row.name);

describe("station check-in mode (the host decides reader scans while it is on)", () => {
  it('starts off, turns on at a gate and direction, persists in the store, and tells every window', async () => {
    const test = checkinSetup();
    const events: CoreEvent[] = [];
    test.core.subscribe((event) => events.push(event));
    expect(expectOk(await test.core.invoke('station.checkinMode', {}))).toEqual({ active: false, gateId: null, direction: 'entry' });

    const on = expectOk(await test.core.invoke('station.setCheckinMode', { active: true, gateId: test.gates.vip, direction: 'exit' }));
    expect(on).toEqual({ active: true, gateId: test.gates.vip, direction: 'exit' });
    expect(expectOk(await test.core.invoke('station.checkinMode', {}))).toEqual(on);
    expect(events).toEqual([{ type: 'station.checkinMode', mode: on }]);

    expectOk(await test.core.invoke('station.setCheckinMode', { active: false, gateId: null, direction: 'entry' }));
    expect(expectOk(await test.core.invoke('station.checkinMode', {}))).toEqual({ active: false, gateId: null, direction: 'entry' });
    // Terminal configuration is a local command: audited, never sent.
    expect(outboxNames(test)).toEqual([]);
    expect(test.store.db.prepare("SELECT operation FROM audit_log WHERE entity = 'station'").all()).toHaveLength(2);
  });

  it('writes nothing when the mode is already the one asked for (a reload re-entering check-in)', async () => {
    const test = checkinSetup();
    expectOk(await test.core.invoke('station.setCheckinMode', { active: true, gateId: test.gates.main, direction: 'entry' }));
    const before = snapshot(test.store);
    expectOk(await test.core.invoke('station.setCheckinMode', { active: true, gateId: test.gates.main, direction: 'entry' }));
    expect(snapshot(test.store)).toEqual(before);
  });

  it('refuses a gate that is not one of the event, naming the field and changing nothing', async () => {
    const test = checkinSetup();
    const before = snapshot(test.store);
    const result = await test.core.invoke('station.setCheckinMode', { active: true, gateId: '0190a0a0-0000-7000-8000-000000000000', direction: 'entry' });
    expect(result).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'The chosen gate is not a gate of Summer Festival: choose another gate', field: 'gateId' } });
    expect(await test.core.invoke('station.setCheckinMode', { active: true, gateId: test.gates.main, direction: 'sideways' as 'entry' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'direction' },
    });
    expect(snapshot(test.store)).toEqual(before);
  });
});
