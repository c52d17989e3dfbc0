import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { sql, Store } from '../../db/store.ts';
import { createCore } from '../api/core.ts';
import { applyEnvelope, envelopeOfOutboxRow, type CommandOutcome } from '../commands/command.ts';
import { derivedId, type Envelope } from '../commands/envelope.ts';
import { applyEnvelopeOnPostgres } from '../commands/postgres-driver.ts';
import { commandOf } from '../commands/registry.ts';
import { DomainError } from '../errors.ts';
import { expectOk, searchMatches } from '../../test/fixtures/commands.ts';
import { loadRows, mirrorDatabase, postgresRows, mirrorEnabled } from '../../test/fixtures/postgres-mirror.ts';
import { insertEvent, insertTicketType, steppingClock } from '../../test/fixtures/store.ts';
import { copyOfStore, syncedRows, syncedRowsToLoad, type TableRows } from '../../test/fixtures/synced-tables.ts';
import type { ImportCustomersInput } from '../import/import.contract.ts';

/**
 * An import batch is an intent (DESIGN.md section 5): its rows are its args, and the server plans
 * them again against its own state. From the terminal's state it writes what the terminal wrote;
 * on a state that moved on (another terminal's import) it decides again, row by row. Checked on a
 * copy of the terminal's starting store (SQLite) and, in the pglite project, on PGlite with the
 * PostgreSQL driver.
 */

const fixture = (name: string) => join(import.meta.dirname, '../../test/fixtures/csv', name);

function terminal(store: Store = new Store(openDatabase(':memory:'))) {
  const core = createCore({
    store,
    clock: steppingClock(),
    caller: { name: 'operator-1', role: 'admin' },
    onInternalError: (error) => {
      throw error;
    },
  });
  return { core, store };
}

async function importOk(core: ReturnType<typeof terminal>['core'], input: ImportCustomersInput) {
  return expectOk(await core.invoke('import.customers', input));
}

const outboxEnvelopes = (store: Store): Envelope[] => store.all(sql.selectFrom('outbox').selectAll().orderBy('seq')).map(envelopeOfOutboxRow);

/** An outcome as the tests compare it: the value, or the error's code, field and message. */
function plain(outcome: CommandOutcome) {
  if (outcome.ok) return outcome;
  const { error } = outcome;
  return error instanceof DomainError ? { ok: false, code: error.code, field: error.field, message: error.message } : { ok: false, error: String(error) };
}

/** PGlite holding `rows`, then each envelope applied in its own transaction by the PostgreSQL driver. */
async function onPostgres(rows: TableRows, envelopes: readonly Envelope[]) {
  const db = await mirrorDatabase();
  await loadRows(db, rows);
  const outcomes: CommandOutcome[] = [];
  for (const envelope of envelopes) {
    outcomes.push(
      await db
        .transaction()
        .execute((trx) => applyEnvelopeOnPostgres(trx, commandOf(envelope), envelope))
        .then((value): CommandOutcome => ({ ok: true, value }), (error: unknown): CommandOutcome => ({ ok: false, error })),
    );
  }
  return { outcomes, rows: await postgresRows(db, Object.keys(rows)) };
}

/** The outcomes and synced rows of the envelopes on SQLite (a copy of `start`, returned as `store`) and, in the pglite project, the same on PGlite. */
async function onEveryStore(start: Store, envelopes: readonly Envelope[]) {
  const server = copyOfStore(start);
  const outcomes = envelopes
    .map((envelope): CommandOutcome => {
      try {
        return { ok: true, value: applyEnvelope(server, commandOf(envelope), envelope) };
      } catch (error) {
        return { ok: false, error };
      }
    })
    .map(plain);
  const rows = syncedRows(server.db);
  if (mirrorEnabled) {
    const postgres = await onPostgres(syncedRowsToLoad(start.db), envelopes);
    expect(postgres.outcomes.map(plain), 'outcomes on PGlite').toEqual(outcomes);
    expect(postgres.rows, 'synced rows on PGlite').toEqual(rows);
  }
  return { outcomes, rows, store: server };
}

/** A terminal's store with one event whose only ticket type is "Weekend". */
function withEvent() {
  const { store } = terminal();
  const eventId = insertEvent(store, { name: 'Summer Festival' });
  insertTicketType(store, eventId, 'Weekend');
  return { store, eventId };
}

describe('import on the server', () => {
  it('an import into a fresh data folder writes on the server what it wrote on the terminal, the event included', async () => {
    const { core, store } = terminal();
    const start = copyOfStore(store);
    const result = await importOk(core, { source: { path: fixture('customers-comma.csv') }, batchSize: 2 });
    const envelopes = outboxEnvelopes(store);
    expect(envelopes.map((envelope) => envelope.name)).toEqual(['import.createEvent', 'import.customers', 'import.customers']);
    // The event's id follows from its envelope, so every store that runs it creates this event.
    expect(result.eventId).toBe(derivedId(envelopes[0]!.id, 0));
    expect(envelopes[0]!.args).toEqual({ name: 'Imported event', currency: 'EUR', timeZone: 'UTC' });

    const server = await onEveryStore(start, envelopes);
    expect(server.outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true]);
    expect(server.outcomes[0]).toEqual({ ok: true, value: result.eventId });
    expect(server.rows).toEqual(syncedRows(store.db));
  });

  it('writes a batch of many new customers and tickets in statements of several rows, alike on every store', async () => {
    const { core, store } = terminal();
    const start = copyOfStore(store);
    // 70 rows: two statements of 32 customers and tickets, then 6 one by one; row 40 gives row 4's
    // customer a last name (a profile update after the customer's insert, and a second ticket).
    const lines = Array.from({ length: 70 }, (_, n) =>
      n === 38 ? 'person2@example.com,,Berg,T-39' : `person${n}@example.com,Person${n},,T-${n + 1}`,
    );
    const result = await importOk(core, { source: { text: ['email,first name,last name,ticket', ...lines].join('\n') } });
    expect(result).toMatchObject({ imported: 69, updated: 1, rejected: [] });
    // Every new customer is found by search, and the search keys follow the rows' order.
    const searchable = store.db
      .prepare("SELECT c.email FROM customers c JOIN customer_search s ON s.rowid = c.search_rowid WHERE customer_search MATCH 'person*' ORDER BY c.search_rowid")
      .all() as { email: string }[];
    expect(searchable.map((row) => row.email)).toEqual(Array.from({ length: 70 }, (_, n) => `person${n}@example.com`).filter((_, n) => n !== 38));
    expect(store.db.prepare("SELECT last_name, sort_name FROM customers WHERE email = 'person2@example.com'").get()).toEqual({ last_name: 'Berg', sort_name: 'berg person2' });
    expect(searchMatches(store, 'berg')).toHaveLength(1);

    const server = await onEveryStore(start, outboxEnvelopes(store));
    expect(server.outcomes.map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(server.rows).toEqual(syncedRows(store.db));
  });

  it('plans the rows again: a ticket another terminal imported first is not moved, the other rows still are imported', async () => {
    const { store, eventId } = withEvent();
    const start = copyOfStore(store);
    const a = terminal(store);
    const b = terminal(copyOfStore(start));
    await importOk(a.core, { source: { text: 'email,ticket\nanna@example.com,T-1\n' }, eventId });
    const onB = await importOk(b.core, { source: { text: 'email,ticket\nbob@example.com,T-1\ncarla@example.com,T-2\n' }, eventId });
    expect(onB).toMatchObject({ imported: 2, rejected: [] });

    const [fromA] = outboxEnvelopes(a.store);
    const [fromB] = outboxEnvelopes(b.store);
    const server = await onEveryStore(start, [fromA!, fromB!]);
    expect(server.outcomes[1]).toMatchObject({
      ok: true,
      value: {
        outcomes: [
          { row: 2, outcome: 'rejected', reason: 'ticketReference: ticket T-1 belongs to another customer (anna@example.com); it was not moved' },
          { row: 3, outcome: 'imported' },
        ],
      },
    });
    expect(
      server.store.all(
        sql.selectFrom('tickets').innerJoin('customers', 'customers.id', 'tickets.customer_id').select(['reference', 'customers.email']).orderBy('reference'),
      ),
    ).toEqual([
      { reference: 'T-1', email: 'anna@example.com' },
      { reference: 'T-2', email: 'carla@example.com' },
    ]);
  });

  it('matches the customer another terminal imported first with the same e-mail: the customer this terminal created is a tombstone naming it', async () => {
    const { store, eventId } = withEvent();
    const start = copyOfStore(store);
    const a = terminal(store);
    const b = terminal(copyOfStore(start));
    const text = 'email,first name,ticket\nanna@example.com,Anna,T-1\n';
    await importOk(a.core, { source: { text }, eventId });
    await importOk(b.core, { source: { text }, eventId });
    const customerOf = (on: Store) => on.first(sql.selectFrom('customers').select('id').where('email', '=', 'anna@example.com'))!.id;
    const [annaOnA, annaOnB] = [customerOf(a.store), customerOf(b.store)];

    const server = await onEveryStore(start, [outboxEnvelopes(a.store)[0]!, outboxEnvelopes(b.store)[0]!]);
    // Nothing of the row changes A's customer; B's customer id must lead to it all the same.
    expect(server.outcomes[1]).toMatchObject({ ok: true, value: { actions: [], outcomes: [{ row: 2, outcome: 'unchanged', customerId: annaOnA }] } });
    expect(server.store.all(sql.selectFrom('customers').select(['id', 'email', 'deleted_at', 'merged_into']).orderBy('merged_into'))).toEqual([
      { id: annaOnA, email: 'anna@example.com', deleted_at: null, merged_into: null },
      { id: annaOnB, email: 'anna@example.com', deleted_at: expect.any(String), merged_into: annaOnA },
    ]);
  });

  it('refuses a batch for an event the server does not have, with NOT_FOUND on eventId', async () => {
    const { core, store } = terminal();
    const start = copyOfStore(store);
    const result = await importOk(core, { source: { text: 'email,ticket\nanna@example.com,T-1\n' } });
    const [, batch] = outboxEnvelopes(store);

    const server = await onEveryStore(start, [batch!]);
    expect(server.outcomes).toEqual([{ ok: false, code: 'NOT_FOUND', field: 'eventId', message: `No event with id ${result.eventId}` }]);
    expect(server.rows).toEqual(syncedRows(start.db));
  });
});
