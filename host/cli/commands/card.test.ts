import { describe, expect, it } from 'vitest';
import { sql } from '../../../db/store.ts';
import { insertAuditEntry, invokeOk } from '../../../test/fixtures/customer-reads.ts';
import { createTestCore, insertEvent, insertOrder, insertTag, insertTestCustomer, insertTicket, insertTicketType } from '../../../test/fixtures/store.ts';
import { formatCard } from './card.ts';
import { formatTimeIn } from '../format.ts';

describe('box-office card as text', () => {
  it('prints one status per credential, history in words and times in the event zone', async () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store, { name: 'Summer Festival' });
    const weekend = insertTicketType(store, eventId, 'Weekend');
    const customerId = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna', last_name: 'Berg' });
    const ticketId = insertTicket(store, { eventId, ticketTypeId: weekend, reference: 'TCK-1', customerId, banned: true });
    insertTicket(store, { eventId, ticketTypeId: weekend, reference: 'TCK-2', customerId, redeemed: true });
    insertTag(store, { eventId, ticketTypeId: weekend, customerId, uid: '04A224B2', active: true, banned: true });
    insertOrder(store, { eventId, customerId, number: 'B-1', total: 5000, createdAt: '2026-07-10T19:04:00.000Z' });
    store.run(sql.insertInto('terminal_state').values({ key: 'device_id', value: 'desk-device' }));
    insertAuditEntry(store, {
      entity: 'ticket',
      entityId: ticketId,
      at: '2026-07-10T19:05:00.000Z',
      operator: 'cli',
      operation: 'tickets.setBanned@1',
      before: { banned: false },
      after: { banned: true },
    });

    const text = formatCard(await invokeOk(core, 'customers.card', { customerId }));
    expect(text).toContain('(times in Europe/Amsterdam)');
    expect(text).toMatch(/TCK-1\s+Weekend\s+Banned\s/);
    expect(text).toMatch(/TCK-2\s+Weekend\s+Redeemed \(exchanged for a wristband\)\s/);
    expect(text).toMatch(/04:A2:24:B2\s+Weekend\s+Banned \(still the active tag\)\s/);
    // 19:04 UTC is 21:04 in Amsterdam in July.
    expect(text).toContain('B-1  2026-07-10 21:04');
    expect(text).toContain('2026-07-10 21:05  this terminal (command line)  Ticket banned: Ticket TCK-1\n      Banned: no → yes');
    expect(text).not.toContain(ticketId);
    expect(text).not.toContain('tickets.setBanned');
  });

  it('formats a time on a zone\'s wall clock', () => {
    expect(formatTimeIn('2026-07-10T19:04:00.000Z', 'Europe/Amsterdam')).toBe('2026-07-10 21:04');
    expect(formatTimeIn('2026-01-10T19:04:00.000Z', 'America/New_York')).toBe('2026-01-10 14:04');
    expect(formatTimeIn('2026-01-10T19:04:00.000Z', 'Not/AZone')).toBe('2026-01-10 19:04 UTC');
    expect(formatTimeIn(null, 'UTC')).toBe('—');
  });
});
