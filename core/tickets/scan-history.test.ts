import { describe, expect, it } from 'vitest';
import { createTestCore, insertEvent, insertTicket, insertTicketType, snapshot } from '../../test/fixtures/store.ts';
import { insertGate, insertScan, invokeError, invokeOk } from '../../test/fixtures/customer-reads.ts';

function setup() {
  const { store, core } = createTestCore();
  const eventId = insertEvent(store);
  const typeId = insertTicketType(store, eventId);
  const ticketId = insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'TCK-7' });
  const otherTicketId = insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'TCK-8' });
  return { store, core, eventId, ticketId, otherTicketId };
}

describe('tickets.scanHistory', () => {
  it('lists every scan of the ticket newest first, with gate, zone and result', async () => {
    const { store, core, eventId, ticketId, otherTicketId } = setup();
    const north = insertGate(store, { eventId, name: 'North', zone: 'Main stage' });
    const first = insertScan(store, { eventId, ticketId, at: '2026-07-10T12:00:00.000Z', gateId: north, operator: 'gate-1', deviceId: 'scanner-a' });
    const exit = insertScan(store, { eventId, ticketId, at: '2026-07-10T14:00:00.000Z', gateId: north, direction: 'exit' });
    const rejected = insertScan(store, {
      eventId,
      ticketId,
      at: '2026-07-10T16:00:00.000Z',
      verdict: 'rejected',
      reason: 'banned',
    });
    insertScan(store, { eventId, ticketId: otherTicketId, at: '2026-07-10T17:00:00.000Z' });

    const history = await invokeOk(core, 'tickets.scanHistory', { ticketId });
    expect(history.ticket).toEqual({ id: ticketId, reference: 'TCK-7' });
    expect(history.scans.map((scan) => scan.id)).toEqual([rejected, exit, first]);
    expect(history.scans[2]).toEqual({
      id: first,
      at: '2026-07-10T12:00:00.000Z',
      gate: 'North',
      zone: 'Main stage',
      direction: 'entry',
      verdict: 'admitted',
      reason: 'admitted',
      deviceId: 'scanner-a',
      operator: 'gate-1',
    });
    expect(history.scans[0]).toMatchObject({ gate: null, zone: null, verdict: 'rejected', reason: 'banned', operator: null });
    expect(history.scans[1]).toMatchObject({ direction: 'exit' });
  });

  it('returns no scans for a ticket never scanned', async () => {
    const { core, ticketId } = setup();
    expect(await invokeOk(core, 'tickets.scanHistory', { ticketId })).toEqual({
      ticket: { id: ticketId, reference: 'TCK-7' },
      scans: [],
    });
  });

  it('refuses an unknown or malformed ticket id and changes nothing', async () => {
    const { store, core } = setup();
    const before = snapshot(store);
    expect(await invokeError(core, 'tickets.scanHistory', { ticketId: 'nope' })).toEqual({
      code: 'NOT_FOUND',
      message: 'This ticket no longer exists on this terminal: reload the card',
      field: 'ticketId',
    });
    expect(await invokeError(core, 'tickets.scanHistory', {})).toMatchObject({ code: 'VALIDATION', field: 'ticketId' });
    expect(await invokeError(core, 'tickets.scanHistory', { ticketId: 'x'.repeat(65) })).toMatchObject({ field: 'ticketId' });
    expect(snapshot(store)).toEqual(before);
  });
});
