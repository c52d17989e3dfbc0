import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { createTestCore, insertEvent, insertTicket, insertTicketType } from '../../test/fixtures/store.ts';
import { ticketByReference } from '../checkin/credentials.ts';
import { matchReference, referenceIgnoringCase } from './reference.ts';

describe('ticket references: exact first, else the single case-insensitive match', () => {
  it('prefers the exact spelling, falls back to another case, and never guesses between two', () => {
    expect(matchReference(() => 'exact', () => ['never read'])).toEqual({ kind: 'found', row: 'exact' });
    expect(matchReference(() => undefined, () => ['one'])).toEqual({ kind: 'found', row: 'one' });
    expect(matchReference(() => undefined, () => ['a', 'b'])).toEqual({ kind: 'ambiguous', rows: ['a', 'b'] });
    expect(matchReference(() => undefined, () => [])).toEqual({ kind: 'none' });
  });

  it('finds a scanned ticket typed in another case, and treats a code two tickets share in different cases as unknown', () => {
    const { store } = createTestCore();
    const eventId = insertEvent(store);
    const typeId = insertTicketType(store, eventId);
    const ticket = insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'BO-JK4FYO2S9X' });
    insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'Twin-1' });
    insertTicket(store, { eventId, ticketTypeId: typeId, reference: 'TWIN-1' });
    expect(ticketByReference.first(store, eventId, 'bo-jk4fyo2s9x')?.id).toBe(ticket);
    expect(ticketByReference.first(store, eventId, 'BO-JK4FYO2S9X')?.id).toBe(ticket);
    expect(ticketByReference.first(store, eventId, 'Twin-1')?.reference).toBe('Twin-1');
    expect(ticketByReference.first(store, eventId, 'twin-1')).toBeUndefined();
    expect(ticketByReference.first(store, eventId, 'BO-NOPE')).toBeUndefined();
  });

  it('answers the case-insensitive lookup from an index, never by reading every ticket', () => {
    const { store } = createTestCore();
    const query = sql.selectFrom('tickets').select('id').where('event_id', '=', 'e').where(referenceIgnoringCase('bo-1')).compile();
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[])
      .map((row) => row.detail)
      .join('; ');
    expect(plan).toContain('USING INDEX tickets_event_reference_folded');
  });
});
