import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { createTestCore, insertEvent, insertTicketType, snapshot } from '../../test/fixtures/store.ts';
import { invokeOk } from '../../test/fixtures/customer-reads.ts';

describe('events.list', () => {
  it('lists no events in an empty data folder', async () => {
    const { core } = createTestCore();
    expect(await invokeOk(core, 'events.list', {})).toEqual({ events: [], chosenEventId: null });
  });

  it('lists every event earliest first with its time zone, currency and ticket types', async () => {
    const { store, core } = createTestCore();
    const later = insertEvent(store, { name: 'Winter Gala', currency: 'GBP' });
    store.run(sql.updateTable('events').set({ starts_at: '2026-12-01T18:00:00.000Z', ends_at: null }).where('id', '=', later));
    const summer = insertEvent(store, { name: 'Summer Festival' });
    const weekend = insertTicketType(store, summer, 'Weekend');
    const day = insertTicketType(store, summer, 'Day');
    const before = snapshot(store);
    expect(await invokeOk(core, 'events.list', {})).toEqual({
      chosenEventId: null,
      events: [
        {
          id: summer,
          name: 'Summer Festival',
          startsAt: '2026-07-10T10:00:00.000Z',
          endsAt: '2026-07-12T23:00:00.000Z',
          timeZone: 'Europe/Amsterdam',
          currency: 'EUR',
          ticketTypes: [
            { id: day, name: 'Day' },
            { id: weekend, name: 'Weekend' },
          ],
        },
        { id: later, name: 'Winter Gala', startsAt: '2026-12-01T18:00:00.000Z', endsAt: null, timeZone: 'Europe/Amsterdam', currency: 'GBP', ticketTypes: [] },
      ],
    });
    expect(snapshot(store)).toEqual(before);
  });
});
