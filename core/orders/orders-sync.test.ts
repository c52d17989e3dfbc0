import { describe, expect, it } from 'vitest';
import type { CatalogItemKind } from '../../db/schema.ts';
import { openDatabase } from '../../db/connection.ts';
import { sql, Store } from '../../db/store.ts';
import { createCore } from '../api/core.ts';
import { applyEnvelope, envelopeOfOutboxRow, type AnyCommand, type CommandOutcome } from '../commands/command.ts';
import type { Envelope } from '../commands/envelope.ts';
import { applyEnvelopeOnPostgres } from '../commands/postgres-driver.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { setTerminalShortCode } from '../terminal/state.ts';
import { createOrder } from './create-order.ts';
import { deleteOrder } from './delete-order.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { loadRows, mirrorDatabase, postgresRows, mirrorEnabled } from '../../test/fixtures/postgres-mirror.ts';
import { insertEvent, insertTestCustomer, insertTicketType, steppingClock } from '../../test/fixtures/store.ts';
import { copyOfStore, syncedRows, syncedRowsToLoad, type TableRows } from '../../test/fixtures/synced-tables.ts';

/**
 * orders.create and orders.delete are intents (DESIGN.md section 5): the server runs the same body
 * on its own state. From the same state it writes what the terminal wrote (the order, its lines,
 * tickets with the terminal's references, gift cards with the envelope's codes, ledger entries keyed
 * by the envelope); on a state that moved on it decides again (a number or the last unit taken).
 * Checked on a copy of the terminal's store (SQLite) and, in the pglite project, on PGlite with the
 * PostgreSQL driver.
 */

const at = '2026-05-01T09:00:00.000Z';

function insertItem(store: Store, eventId: string, kind: CatalogItemKind, name: string, price: number, extra: { ledgerAmount?: number; ticketTypeId?: string; capacity?: number } = {}): string {
  const id = newId();
  store.run(
    sql.insertInto('catalog_items').values({
      id,
      event_id: eventId,
      kind,
      name,
      price,
      ledger_amount: extra.ledgerAmount ?? null,
      ticket_type_id: extra.ticketTypeId ?? null,
      capacity: extra.capacity ?? null,
      created_at: at,
      updated_at: at,
      server_version: null,
      deleted_at: null,
    }),
  );
  return id;
}

function insertPackContent(store: Store, packId: string, contentId: string, quantity: number): void {
  store.run(
    sql.insertInto('pack_contents').values({
      id: newId(),
      pack_item_id: packId,
      content_item_id: contentId,
      quantity,
      created_at: at,
      updated_at: at,
      server_version: null,
      deleted_at: null,
    }),
  );
}

/** A store with an event, a customer and a catalog of every delivering kind; no device yet. */
function startingStore() {
  const { store } = terminal(undefined);
  const eventId = insertEvent(store);
  const weekend = insertTicketType(store, eventId, 'Weekend');
  const backstageType = insertTicketType(store, eventId, 'Backstage');
  const anna = insertTestCustomer(store, { first_name: 'Anna', last_name: 'Berg' });
  const ticket = insertItem(store, eventId, 'ticket', 'Weekend ticket', 18900, { ticketTypeId: weekend });
  const credits = insertItem(store, eventId, 'credit', 'Credits €25', 2500, { ledgerAmount: 2500 });
  const giftCard = insertItem(store, eventId, 'gift_card', 'Gift card €50', 5000);
  const backstage = insertItem(store, eventId, 'access', 'Backstage access', 5000, { ticketTypeId: backstageType, capacity: 1 });
  const pack = insertItem(store, eventId, 'pack', 'Friends pack', 80000);
  // Two tickets whose names sort one way by byte ('Z' < 'a', SQLite) and the other way in a
  // linguistic collation: which ticket gets which reference must not depend on the store.
  const zone = insertItem(store, eventId, 'ticket', 'Zone ticket', 0, { ticketTypeId: weekend });
  const afterParty = insertItem(store, eventId, 'ticket', 'after-party ticket', 0, { ticketTypeId: insertTicketType(store, eventId, 'After party') });
  const bonus = insertItem(store, eventId, 'virtual_credit', 'Bonus credits', 0, { ledgerAmount: 500 });
  insertPackContent(store, pack, afterParty, 1);
  insertPackContent(store, pack, zone, 2);
  insertPackContent(store, pack, bonus, 1);
  return { store, eventId, anna, items: { ticket, credits, giftCard, backstage, pack } };
}

/** A terminal on this store (a new in-memory one without), enrolled under `shortCode` if given. */
function terminal(store: Store | undefined, shortCode?: string) {
  const core = createCore({
    store: store ?? new Store(openDatabase(':memory:')),
    clock: steppingClock(),
    caller: { name: 'operator-1', role: 'admin' },
    onInternalError: (error) => {
      throw error;
    },
  });
  if (shortCode) setTerminalShortCode(core.context.store, shortCode);
  return { core, store: core.context.store };
}

const outboxEnvelopes = (store: Store): Envelope[] => store.all(sql.selectFrom('outbox').selectAll().orderBy('seq')).map(envelopeOfOutboxRow);

/** What a store does with each envelope, in order, each in its own transaction. */
function onSqlite(store: Store, runs: readonly [AnyCommand, Envelope][]): CommandOutcome[] {
  return runs.map(([command, envelope]) => {
    try {
      return { ok: true, value: applyEnvelope(store, command, envelope) };
    } catch (error) {
      return { ok: false, error };
    }
  });
}

/** PGlite holding `rows`, then each envelope applied in its own transaction by the PostgreSQL driver. */
async function onPostgres(rows: TableRows, runs: readonly [AnyCommand, Envelope][]) {
  const db = await mirrorDatabase();
  await loadRows(db, rows);
  const outcomes: CommandOutcome[] = [];
  for (const [command, envelope] of runs) {
    outcomes.push(
      await db
        .transaction()
        .execute((trx) => applyEnvelopeOnPostgres(trx, command, envelope))
        .then((value): CommandOutcome => ({ ok: true, value }), (error: unknown): CommandOutcome => ({ ok: false, error })),
    );
  }
  return { outcomes, rows: await postgresRows(db, Object.keys(rows)) };
}

/** An outcome as the tests compare it: the value, or the domain error's code, field and message. */
function plain(outcome: CommandOutcome) {
  if (outcome.ok) return outcome;
  const { error } = outcome;
  return error instanceof DomainError ? { ok: false, code: error.code, field: error.field, message: error.message } : { ok: false, error: String(error) };
}

/** The outcomes and synced rows of `runs` on SQLite (a copy of `start`) and, in the pglite project, the same on PGlite. */
async function onEveryStore(start: Store, runs: readonly [AnyCommand, Envelope][]) {
  const server = copyOfStore(start);
  const outcomes = onSqlite(server, runs).map(plain);
  const rows = syncedRows(server.db);
  if (mirrorEnabled) {
    const postgres = await onPostgres(syncedRowsToLoad(start.db), runs);
    expect(postgres.outcomes.map(plain), 'outcomes on PGlite').toEqual(outcomes);
    expect(postgres.rows, 'synced rows on PGlite').toEqual(rows);
  }
  return { outcomes, rows };
}

describe('orders on the server', () => {
  it('a sale and its deletion write on the server what they wrote on the terminal: order, tickets, codes, ledger', async () => {
    const { store, anna, items } = startingStore();
    const start = copyOfStore(store);
    const { core } = terminal(store, 'B7');
    const sale = expectOk(
      await core.invoke('orders.create', {
        customerId: anna,
        items: [
          { catalogItemId: items.ticket, quantity: 2 },
          { catalogItemId: items.pack, quantity: 1 },
          { catalogItemId: items.giftCard, quantity: 2 },
          { catalogItemId: items.credits, quantity: 1 },
        ],
        amountPaid: 200000,
      }),
    );
    expect(sale.tickets).toEqual([
      { reference: 'B7-000001-1', ticketType: 'Weekend' },
      { reference: 'B7-000001-2', ticketType: 'Weekend' },
      { reference: 'B7-000001-3', ticketType: 'Weekend' },
      { reference: 'B7-000001-4', ticketType: 'Weekend' },
      { reference: 'B7-000001-5', ticketType: 'After party' },
    ]);
    expect(sale.giftCards).toHaveLength(2);
    const deleted = expectOk(await core.invoke('orders.delete', { orderId: sale.orderId }));
    const [created, removed] = outboxEnvelopes(store);

    const server = await onEveryStore(start, [
      [createOrder, created!],
      [deleteOrder, removed!],
    ]);
    expect(server.outcomes).toEqual([
      { ok: true, value: sale },
      { ok: true, value: deleted },
    ]);
    expect(server.rows).toEqual(syncedRows(store.db));
  });

  it('refuses a number the event already has: a terminal restored from a backup issuing B7-000001 again', async () => {
    const { store, anna, items } = startingStore();
    setTerminalShortCode(store, 'B7');
    const start = copyOfStore(store);
    const sale = { customerId: anna, items: [{ catalogItemId: items.credits, quantity: 1 }], amountPaid: 2500 };

    const first = terminal(store);
    expect(expectOk(await first.core.invoke('orders.create', sale)).number).toBe('B7-000001');
    const restored = terminal(copyOfStore(start));
    expect(expectOk(await restored.core.invoke('orders.create', { ...sale, note: 'after the restore' })).number).toBe('B7-000001');

    const server = await onEveryStore(start, [
      [createOrder, outboxEnvelopes(first.store)[0]!],
      [createOrder, outboxEnvelopes(restored.store)[0]!],
    ]);
    expect(server.outcomes[0]).toMatchObject({ ok: true, value: { number: 'B7-000001' } });
    expect(server.outcomes[1]).toEqual({ ok: false, code: 'CONFLICT', field: 'number', message: 'Summer Festival already has an order numbered B7-000001' });
    expect(server.rows).toEqual(syncedRows(first.store.db));
  });

  it('decides capacity again: of two terminals selling the last unit offline, the one applied second is refused', async () => {
    const { store, anna, items } = startingStore();
    const start = copyOfStore(store);
    const sale = { customerId: anna, items: [{ catalogItemId: items.backstage, quantity: 1 }], amountPaid: 5000 };
    const a = terminal(store, 'A1');
    const b = terminal(copyOfStore(start), 'B2');
    expect(expectOk(await a.core.invoke('orders.create', sale)).number).toBe('A1-000001');
    expect(expectOk(await b.core.invoke('orders.create', sale)).number).toBe('B2-000001');

    const server = await onEveryStore(start, [
      [createOrder, outboxEnvelopes(a.store)[0]!],
      [createOrder, outboxEnvelopes(b.store)[0]!],
    ]);
    expect(server.outcomes.map((outcome) => outcome.ok)).toEqual([true, false]);
    expect(server.outcomes[1]).toMatchObject({ code: 'CONFLICT', field: 'items.0.quantity' });
    expect(server.rows).toEqual(syncedRows(a.store.db));
  });
});
