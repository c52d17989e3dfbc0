import { describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { createTestCore, insertEvent, insertTestCustomer, insertTicket, insertTicketType, snapshot } from '../../test/fixtures/store.ts';
import { auditRows, expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';
import type { InvalidReason } from '../../db/schema.ts';

function setup() {
  const test = createTestCore();
  const eventId = insertEvent(test.store);
  const ticketTypeId = insertTicketType(test.store, eventId);
  const customerId = insertTestCustomer(test.store, { first_name: 'Anna' });
  let count = 0;
  const ticket = (values: { invalidReason?: InvalidReason; redeemed?: boolean; banned?: boolean } = {}) =>
    insertTicket(test.store, { eventId, ticketTypeId, customerId, reference: `T-${(count += 1)}`, ...values });
  return { ...test, ticket };
}

const flags = (store: Store, id: string) =>
  store.first(sql.selectFrom('tickets').select(['redeemed', 'banned', 'updated_at']).where('id', '=', id))!;

describe('tickets.setRedeemed', () => {
  it('marks a ticket redeemed and valid again, audited', async () => {
    const { store, core, ticket } = setup();
    const id = ticket();
    expect(expectOk(await core.invoke('tickets.setRedeemed', { ticketId: id, redeemed: true }))).toEqual({
      ticketId: id,
      redeemed: true,
      banned: false,
    });
    expect(flags(store, id)).toEqual({ redeemed: 1, banned: 0, updated_at: '2026-06-01T10:00:00.000Z' });
    expect(expectOk(await core.invoke('tickets.setRedeemed', { ticketId: id, redeemed: false })).redeemed).toBe(false);
    expect(auditRows(store)).toMatchObject([
      { operation: 'tickets.setRedeemed@1', entity: 'ticket', entity_id: id, before: { redeemed: false }, after: { redeemed: true } },
      { operation: 'tickets.setRedeemed@1', entity: 'ticket', entity_id: id, before: { redeemed: true }, after: { redeemed: false } },
    ]);
  });

  it.each(['canceled', 'refunded', 'transferred'] as const)('refuses to redeem a %s ticket', async (invalidReason) => {
    const { store, core, ticket } = setup();
    const id = ticket({ invalidReason });
    const before = snapshot(store);
    const error = expectError(await core.invoke('tickets.setRedeemed', { ticketId: id, redeemed: true }), 'CONFLICT', 'redeemed');
    expect(error.message).toContain(invalidReason);
    expect(snapshot(store)).toEqual(before);
  });

  it('lets staff take the redeemed mark off an invalid ticket', async () => {
    const { store, core, ticket } = setup();
    const id = ticket({ invalidReason: 'refunded', redeemed: true });
    expect(expectOk(await core.invoke('tickets.setRedeemed', { ticketId: id, redeemed: false })).redeemed).toBe(false);
    expect(flags(store, id).redeemed).toBe(0);
  });

  it('writes no audit entry when the ticket already has the value', async () => {
    const { store, core, ticket } = setup();
    const id = ticket({ redeemed: true });
    expectOk(await core.invoke('tickets.setRedeemed', { ticketId: id, redeemed: true }));
    expect(auditRows(store)).toEqual([]);
    expect(outboxRows(store)).toEqual([]);
  });
});

describe('tickets.setBanned', () => {
  it('bans and unbans, keeping redeemed as it is, with audit and outbox rows', async () => {
    const { store, core, ticket } = setup();
    const id = ticket({ redeemed: true });
    expect(expectOk(await core.invoke('tickets.setBanned', { ticketId: id, banned: true }))).toEqual({
      ticketId: id,
      redeemed: true,
      banned: true,
    });
    expect(flags(store, id)).toMatchObject({ redeemed: 1, banned: 1 });
    expectOk(await core.invoke('tickets.setBanned', { ticketId: id, banned: true }));
    expectOk(await core.invoke('tickets.setBanned', { ticketId: id, banned: false }));
    expect(flags(store, id)).toMatchObject({ redeemed: 1, banned: 0 });

    const audits = auditRows(store);
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({
      operator: 'operator-1',
      operation: 'tickets.setBanned@1',
      entity: 'ticket',
      entity_id: id,
      before: { banned: false },
      after: { banned: true },
    });
    expect(audits[0]!.device_id).toBe(audits[1]!.device_id);
    expect(audits[0]!.command_id).toBe(outboxRows(store)[0]!.id);
    expect(outboxRows(store).map((row) => [row.seq, row.name, row.version, row.args])).toEqual([
      // Banning the banned ticket again changed nothing: no outbox row, and no gap in the sequence.
      [1, 'tickets.setBanned', 1, { ticketId: id, banned: true }],
      [2, 'tickets.setBanned', 1, { ticketId: id, banned: false }],
    ]);
  });

  it('bans an invalid ticket too', async () => {
    const { core, ticket } = setup();
    const id = ticket({ invalidReason: 'canceled' });
    expect(expectOk(await core.invoke('tickets.setBanned', { ticketId: id, banned: true })).banned).toBe(true);
  });

  it('refuses unknown tickets and malformed input without using an outbox seq', async () => {
    const { store, core, ticket } = setup();
    const id = ticket();
    const before = snapshot(store);
    expect(expectError(await core.invoke('tickets.setBanned', { ticketId: 'missing', banned: true }), 'NOT_FOUND', 'ticketId').message).not.toContain('missing');
    expectError(await core.invoke('tickets.setRedeemed', { ticketId: 'missing', redeemed: true }), 'NOT_FOUND', 'ticketId');
    expectError(await core.invoke('tickets.setBanned', { ticketId: id, banned: 'yes' } as never), 'VALIDATION', 'banned');
    expectError(await core.invoke('tickets.setRedeemed', { ticketId: id } as never), 'VALIDATION', 'redeemed');
    expectError(await core.invoke('tickets.setBanned', { ticketId: '', banned: true }), 'VALIDATION', 'ticketId');
    expect(snapshot(store)).toEqual(before);
    expectOk(await core.invoke('tickets.setBanned', { ticketId: id, banned: true }));
    expect(outboxRows(store).map((row) => row.seq)).toEqual([1]);
  });
});
