import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { auditRows, expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';
import { createTestCore, insertEvent, snapshot } from '../../test/fixtures/store.ts';

function twoEvents() {
  const test = createTestCore();
  const spring = insertEvent(test.store, { name: 'Spring Fair' });
  const summer = insertEvent(test.store, { name: 'Summer Festival' });
  return { ...test, spring, summer };
}

describe('events.choose', () => {
  it('sets the event commands work on when they name none, audited, never queued to sync', async () => {
    const { core, store, summer } = twoEvents();
    expect(expectOk(await core.invoke('events.list', {})).chosenEventId).toBeNull();
    expectError(await core.invoke('checkin.scan', { code: 'NOPE-1', gateId: null }), 'VALIDATION', 'eventId');

    expect(expectOk(await core.invoke('events.choose', { eventId: summer }))).toEqual({ eventId: summer, name: 'Summer Festival' });
    expect(expectOk(await core.invoke('events.list', {})).chosenEventId).toBe(summer);
    expectOk(await core.invoke('checkin.scan', { code: 'NOPE-1', gateId: null }));
    expect(store.all(sql.selectFrom('scans').select('event_id'))).toEqual([{ event_id: summer }]);

    expect(auditRows(store).filter((row) => row.operation === 'events.choose@1')).toMatchObject([{ before: { eventId: null }, after: { eventId: summer } }]);
    expect(outboxRows(store).map((row) => row.name)).toEqual(['checkin.scan']);
  });

  it('choosing the chosen event again writes nothing', async () => {
    const { core, store, spring } = twoEvents();
    expectOk(await core.invoke('events.choose', { eventId: spring }));
    const audited = auditRows(store);
    expectOk(await core.invoke('events.choose', { eventId: spring }));
    expect(auditRows(store)).toEqual(audited);
    expect(outboxRows(store)).toEqual([]);
  });

  it('refuses an event this terminal does not hold, naming eventId, and changes nothing', async () => {
    const { core, store } = twoEvents();
    const before = snapshot(store);
    expectError(await core.invoke('events.choose', { eventId: 'elsewhere' }), 'NOT_FOUND', 'eventId');
    expectError(await core.invoke('events.choose', { eventId: '' }), 'VALIDATION', 'eventId');
    expect(snapshot(store)).toEqual(before);
  });
});
