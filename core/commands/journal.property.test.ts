import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { journalSetup } from '../../test/fixtures/journal.ts';
import { loadRows, mirrorDatabase, postgresRows } from '../../test/fixtures/postgres-mirror.ts';
import { copyOfStore, syncedRows, syncedRowsToLoad } from '../../test/fixtures/synced-tables.ts';
import { journalText, parseJournal, replayJournal, type Journal } from './journal.ts';
import { applyEnvelopeOnPostgres } from './postgres-driver.ts';
import { commandOf } from './registry.ts';

type Setup = ReturnType<typeof journalSetup>;

/** One random step: a command and indices into the fixture's pools (or into the store's rows as they are then). */
const stepCommands = [
  'tickets.assign', 'tickets.setBanned', 'tickets.setRedeemed', 'tags.assign', 'tags.makeActive', 'tags.setBanned',
  'customers.addLabel', 'customers.removeLabel', 'customers.addAlternativeEmail', 'customers.removeAlternativeEmail',
  'customers.update', 'orders.create', 'orders.delete', 'checkin.scan',
] as const;

const step = fc.record({
  command: fc.constantFrom(...stepCommands),
  a: fc.nat(50),
  b: fc.nat(50),
  flag: fc.boolean(),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const pick = <T>(values: readonly T[], index: number): T | undefined => values[index % Math.max(values.length, 1)];
// Rows in an order that does not depend on their (random) ids, so a seed picks the same rows every run.
const ids = {
  tickets: (store: Store) => store.all(sql.selectFrom('tickets').select('id').orderBy('created_at').orderBy('reference')).map((row) => row.id),
  tags: (store: Store) => store.all(sql.selectFrom('tags').select('id').orderBy('uid')).map((row) => row.id),
  orders: (store: Store) => store.all(sql.selectFrom('orders').select('id').orderBy('number')).map((row) => row.id),
};

/** The input of a step against the store as it is now (a pick from an empty list gives an unknown id: the command refuses it). */
function inputOf(setup: Setup, { command, a, b, flag }: Step): unknown {
  const { store, pools } = setup;
  const customerId = pick(pools.customers, a)!;
  switch (command) {
    case 'tickets.assign':
      return { customerId, references: [pick(pools.references, b)!] };
    case 'tickets.setBanned':
      return { ticketId: pick(ids.tickets(store), b) ?? 'missing', banned: flag };
    case 'tickets.setRedeemed':
      return { ticketId: pick(ids.tickets(store), b) ?? 'missing', redeemed: flag };
    case 'tags.assign':
      return { customerId, uid: pick(pools.uids, b)!, ticketTypeId: pick(pools.ticketTypes, a)!, makeActive: flag };
    case 'tags.makeActive': {
      const inactive = store.all(sql.selectFrom('tags').select('id').where('active', '=', 0).orderBy('uid')).map((row) => row.id);
      return { tagId: pick(inactive, b) ?? 'missing' };
    }
    case 'tags.setBanned':
      return { tagId: pick(ids.tags(store), b) ?? 'missing', banned: flag };
    case 'customers.addLabel':
      return { customerId, label: pick(pools.labels, b)! };
    case 'customers.removeLabel': {
      const held = store.all(sql.selectFrom('customer_labels').select(['customer_id', 'label_id']).where('deleted_at', 'is', null).orderBy(['customer_id', 'label_id']));
      const one = pick(held, b);
      return one ? { customerId: one.customer_id, labelId: one.label_id } : { customerId, labelId: 'missing' };
    }
    case 'customers.addAlternativeEmail':
      return { customerId, email: pick(pools.emails, b)! };
    case 'customers.removeAlternativeEmail': {
      const held = store.all(sql.selectFrom('customer_emails').select(['customer_id', 'email']).where('deleted_at', 'is', null).orderBy(['customer_id', 'email']));
      const one = pick(held, b);
      return one ? { customerId: one.customer_id, email: one.email } : { customerId, email: pick(pools.emails, b)! };
    }
    case 'customers.update':
      return flag ? { customerId, firstName: `Name ${b}` } : { customerId, city: `City ${b}` };
    case 'orders.create':
      return { customerId, items: [{ catalogItemId: pick(pools.catalog, b)!, quantity: 1 + (a % 2) }], amountPaid: flag ? 100000 : 0, reserve: !flag };
    case 'orders.delete':
      return { orderId: pick(ids.orders(store), b) ?? 'missing' };
    case 'checkin.scan':
      return { code: flag ? pick(pools.references, b)! : pick(pools.uids, b)!, gateId: pick(pools.gates, a)!, direction: a % 3 === 0 ? 'exit' : 'entry' };
  }
}

/** The journal run on PGlite by the server's driver, from the rows the terminal held before it. */
async function replayOnPostgres(before: Store, journal: Journal) {
  const db = await mirrorDatabase();
  await loadRows(db, syncedRowsToLoad(before.db));
  for (const { envelope } of journal.entries) {
    await db.transaction().execute((trx) => applyEnvelopeOnPostgres(trx, commandOf(envelope), envelope));
  }
  return postgresRows(db, Object.keys(syncedRows(before.db)));
}

// PGlite opens once per file, before the property runs (seconds on a loaded machine).
beforeAll(() => mirrorDatabase(), 120_000);

describe('the journal replays a terminal into another store', () => {
  it('random command sequences, replayed from the journal into a copy of the store taken before and into PGlite, give equal synced tables row by row; a second replay changes nothing', async () => {
    const journalled = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 16 }), async (steps) => {
        const setup = journalSetup();
        const before = copyOfStore(setup.store);
        // Refusals are part of the sequence: they write nothing, so they must not reach the journal.
        for (const one of steps) await setup.core.invoke(one.command as never, inputOf(setup, one) as never);

        const journal = parseJournal(journalText(setup.store, new Date('2026-06-02T00:00:00.000Z')).text);
        for (const { envelope } of journal.entries) journalled.add(envelope.name);
        expect(await replayOnPostgres(before, journal), 'PGlite after the journal').toEqual(syncedRows(setup.store.db));
        const outcome = replayJournal(before, journal, new Date('2026-06-02T00:00:01.000Z'));
        expect(outcome).toEqual({ applied: journal.entries.length, skipped: 0, failed: [] });
        expect(syncedRows(before.db)).toEqual(syncedRows(setup.store.db));

        const again = replayJournal(before, journal, new Date('2026-06-02T00:00:02.000Z'));
        expect(again).toEqual({ applied: 0, skipped: journal.entries.length, failed: [] });
        expect(syncedRows(before.db)).toEqual(syncedRows(setup.store.db));
      }),
      { seed: 9008, numRuns: 25 },
    );
    // The sequences reach the commands' bodies (not only their refusals): every kind of step was journalled.
    expect([...journalled].sort()).toEqual([...stepCommands].sort());
    // 25 sequences, each replayed twice on SQLite and loaded and replayed on PGlite: about 20 s of
    // work alone, more beside the rest of the suite.
  }, 120_000);
});
