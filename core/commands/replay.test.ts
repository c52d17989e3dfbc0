import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store, sql } from '../../db/store.ts';
import { createTestCore, insertEvent, insertTestCustomer, insertTicketType } from '../../test/fixtures/store.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { envelopeOfOutboxRow } from './command.ts';
import { replayEnvelope } from './registry.ts';

/** The rows a sale writes, as the server would compare them. */
function saleRows(store: Store) {
  return {
    orders: store.all(sql.selectFrom('orders').selectAll().orderBy('id')),
    items: store.all(sql.selectFrom('order_items').selectAll().orderBy('id')),
    history: store.all(sql.selectFrom('order_status_history').selectAll().orderBy('id')),
    tickets: store.all(sql.selectFrom('tickets').selectAll().orderBy('id')),
    ledger: store.all(sql.selectFrom('ledger_entries').selectAll().orderBy('id')),
    giftCards: store.all(sql.selectFrom('gift_cards').selectAll().orderBy('id')),
    customers: store.all(sql.selectFrom('customers').selectAll().orderBy('id')),
    tags: store.all(sql.selectFrom('tags').selectAll().orderBy('id')),
  };
}

describe('replaying an envelope elsewhere', () => {
  it('writes the same rows, with the same ids, codes, numbers and times, as the terminal that ran it', async () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    const weekend = insertTicketType(store, eventId, 'Weekend');
    const anna = insertTestCustomer(store, { first_name: 'Anna' });
    const item = (kind: 'ticket' | 'credit' | 'gift_card', name: string, price: number, extra: { ledger_amount?: number; ticket_type_id?: string } = {}) => {
      const id = `item-${kind}`;
      store.run(
        sql.insertInto('catalog_items').values({
          id, event_id: eventId, kind, name, price, ledger_amount: extra.ledger_amount ?? null, ticket_type_id: extra.ticket_type_id ?? null,
          capacity: null, created_at: '2026-05-01T09:00:00.000Z', updated_at: '2026-05-01T09:00:00.000Z', server_version: null, deleted_at: null,
        }),
      );
      return id;
    };
    const items = [item('ticket', 'Weekend ticket', 18900, { ticket_type_id: weekend }), item('credit', 'Credits', 2500, { ledger_amount: 2500 }), item('gift_card', 'Gift card', 5000)];
    // The other machine starts from the same state.
    const elsewhere = new Store(new Database(store.db.serialize()));

    expectOk(await core.invoke('orders.create', { customerId: anna, items: items.map((catalogItemId) => ({ catalogItemId, quantity: 2 })), amountPaid: 100000 }));
    const [, ticket] = saleRows(store).tickets;
    expectOk(await core.invoke('tags.activateForTicket', { ticketReference: ticket!.reference, uid: '04A224B2C33F80' }));

    for (const row of store.all(sql.selectFrom('outbox').selectAll().orderBy('seq'))) replayEnvelope(elsewhere, envelopeOfOutboxRow(row));
    expect(saleRows(elsewhere)).toEqual(saleRows(store));
    expect(saleRows(store).giftCards).toHaveLength(2);
    // The audit names the envelope's operator and command on both machines.
    const audit = (of: Store) => of.all(sql.selectFrom('audit_log').select(['operator', 'operation', 'entity_id', 'command_id', 'at']).orderBy('id'));
    expect(audit(elsewhere)).toEqual(audit(store));
  });
});
