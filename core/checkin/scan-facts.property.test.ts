import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { checkinSetup, insertRuledTicketType } from '../../test/fixtures/checkin.ts';
import { loadRows, mirrorDatabase, mirrorEnabled, postgresRows } from '../../test/fixtures/postgres-mirror.ts';
import { insertEvent, insertTag, insertTestCustomer, insertTicket } from '../../test/fixtures/store.ts';
import { comparableRows, copyOfStore, syncedRowsToLoad, type TableRows } from '../../test/fixtures/synced-tables.ts';
import type { Conflict } from '../commands/conflict.ts';
import type { Envelope } from '../commands/envelope.ts';
import { runBodyOnPostgres } from '../commands/postgres-driver.ts';
import { runBodyOnSqlite, type ProjectionRefreshers } from '../commands/sqlite-driver.ts';
import { commandTx } from '../commands/tx.ts';
import { parseInput } from '../validation.ts';
import { recordScanFacts } from './scan-facts.ts';
import { scanCommand } from './scan.ts';

/**
 * Recording N scan facts as one batch (scan-facts.ts, as a push records a run of them) gives the
 * rows and the per-fact conflicts of recording them one by one through the scan body, in the same
 * order, on SQLite and on PostgreSQL (PGlite, in the pglite project): random facts over a few shared
 * tickets and wristbands, out of time order, entries and exits at two gates, rejected facts, facts
 * recorded before the batch or twice in it, codes in another case and codes of no credential.
 */

const comparedTables = ['scans', 'tickets', 'tags', 'alerts'] as const;
const noProjections: ProjectionRefreshers = { 'customer-search': () => undefined };

interface FactSpec {
  code: string;
  gate: 'main' | 'vip';
  direction: 'entry' | 'exit';
  reason: 'admitted' | 'already_inside' | 'not_inside' | 'max_entries_reached';
  warning: boolean;
  second: number;
  device: 0 | 1;
}

/** A UUIDv7-shaped id whose first 28 characters (what derivedId keeps) differ for each n. */
const idOf = (kind: number, n: number) => `0190a000-0000-7000-8${kind.toString(16)}${n.toString(16).padStart(2, '0')}-00000000${n.toString(16).padStart(4, '0')}`;

let base: ReturnType<typeof festival>;

/** A festival with a few credentials of every rule, and a ticket of another event. */
function festival() {
  const setup = checkinSetup();
  const { store, eventId, types, anna } = setup;
  const ben = insertTestCustomer(store, { first_name: 'Ben', last_name: 'Kok' });
  setup.ticket(types.weekend, { reference: 'TCK-1' });
  setup.ticket(types.once, { reference: 'TCK-2' });
  setup.ticket(types.noReentry, { reference: 'TCK-3' });
  setup.ticket(types.twice, { reference: 'Abc-4' });
  insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04A1A1A1', active: true });
  insertTag(store, { eventId, ticketTypeId: types.once, customerId: ben, uid: '04B2B2B2', active: true });
  const other = insertEvent(store, { name: 'Other festival' });
  insertTicket(store, { eventId: other, ticketTypeId: insertRuledTicketType(store, other, { name: 'Day' }), customerId: anna, reference: 'ELSE-1' });
  return setup;
}

const codes = ['TCK-1', 'TCK-2', 'TCK-3', 'Abc-4', 'abc-4', 'tck-1', '04A1A1A1', '04:b2:b2:b2', 'ELSE-1', 'NOPE-9'];

const factSpec: fc.Arbitrary<FactSpec> = fc.record({
  // Mostly the same few credentials, so facts meet each other.
  code: fc.oneof({ arbitrary: fc.constantFrom('TCK-1', 'TCK-2', 'TCK-3', '04A1A1A1', '04:b2:b2:b2'), weight: 4 }, { arbitrary: fc.constantFrom(...codes), weight: 1 }),
  gate: fc.constantFrom('main' as const, 'vip' as const),
  direction: fc.constantFrom('entry' as const, 'entry' as const, 'exit' as const),
  reason: fc.constantFrom('admitted' as const, 'admitted' as const, 'admitted' as const, 'already_inside' as const, 'not_inside' as const, 'max_entries_reached' as const),
  warning: fc.boolean(),
  // Few distinct times: scans at the same second are ordered by id.
  second: fc.integer({ min: 0, max: 30 }),
  device: fc.constantFrom(0 as const, 1 as const),
});

/** Facts recorded before the batch, then the batch: new facts, some recorded before, some twice. */
const scenario = fc
  .record({ specs: fc.array(factSpec, { minLength: 6, maxLength: 30 }), recordedBefore: fc.nat({ max: 6 }), repeats: fc.array(fc.nat(), { maxLength: 5 }) })
  .map(({ specs, recordedBefore, repeats }) => {
    const envelopes = specs.map((spec, n) => envelopeOf(spec, n));
    const before = envelopes.slice(0, Math.min(recordedBefore, envelopes.length - 1));
    const batch = envelopes.slice(before.length);
    // A fact already recorded, or one of the batch again (a later envelope carrying the same scan).
    for (const [k, pick] of repeats.entries()) {
      const again = envelopes[pick % envelopes.length]!;
      batch.splice(pick % (batch.length + 1), 0, { ...again, id: idOf(9, k), seq: null });
    }
    return { before, batch };
  });

function envelopeOf(spec: FactSpec, n: number): Envelope {
  const at = `2026-07-11T10:00:${String(spec.second).padStart(2, '0')}.000Z`;
  const admitted = spec.reason === 'admitted';
  return {
    id: idOf(spec.device + 1, n),
    deviceId: `device-${spec.device}`,
    seq: null,
    name: 'checkin.scan',
    version: 1,
    args: {
      code: spec.code,
      gateId: base.gates[spec.gate],
      direction: spec.direction,
      eventId: base.eventId,
      scanId: idOf(3, n),
      verdict: admitted ? 'admitted' : 'rejected',
      reason: spec.reason,
      warning: admitted && spec.warning ? 're_entry' : null,
      at,
    },
    hlc: `${at}-0000-device-${spec.device}`,
    at,
    operator: `steward-${spec.device}`,
    eventId: base.eventId,
  };
}

const factOf = (envelope: Envelope) => {
  const input = parseInput(scanCommand.input, envelope.args);
  return { tx: commandTx({ ...envelope, args: input }), input };
};

const conflictsOf = (facts: readonly ReturnType<typeof factOf>[]): Conflict[][] => facts.map((fact) => [...fact.tx.conflicts]);

function compared(rows: TableRows): TableRows {
  return comparableRows(Object.fromEntries(comparedTables.map((table) => [table, rows[table]!])));
}

/** Each fact through the scan body, one command (and transaction) after the other. */
function oneByOneOnSqlite(store: Store, envelopes: readonly Envelope[]) {
  const facts = envelopes.map(factOf);
  for (const { tx, input } of facts) store.immediateTransaction(() => runBodyOnSqlite(store, scanCommand.body!(tx, input), noProjections));
  return conflictsOf(facts);
}

function batchOnSqlite(store: Store, envelopes: readonly Envelope[]) {
  const facts = envelopes.map(factOf);
  store.immediateTransaction(() => runBodyOnSqlite(store, recordScanFacts(facts[0]!.tx, facts), noProjections));
  return conflictsOf(facts);
}

function startingStore(before: readonly Envelope[]): Store {
  const store = copyOfStore(base.store);
  oneByOneOnSqlite(store, before);
  return store;
}

describe('scan facts recorded as one batch', () => {
  beforeAll(() => {
    base = festival();
  });

  it('gives the rows and per-fact conflicts of recording them one by one, on SQLite', () => {
    let doubleAdmissions = 0;
    fc.assert(
      fc.property(scenario, ({ before, batch }) => {
        const start = startingStore(before);
        const oneByOne = copyOfStore(start);
        const expectedConflicts = oneByOneOnSqlite(oneByOne, batch);
        const batched = copyOfStore(start);
        expect(batchOnSqlite(batched, batch)).toEqual(expectedConflicts);
        expect(compared(syncedRowsToLoad(batched.db))).toEqual(compared(syncedRowsToLoad(oneByOne.db)));
        doubleAdmissions += expectedConflicts.flat().length;
      }),
      { seed: 20261206, numRuns: 150 },
    );
    // The scenarios reach the double-admission rules, not only plain admissions.
    expect(doubleAdmissions).toBeGreaterThan(100);
  });

  it.runIf(mirrorEnabled)('gives the rows and per-fact conflicts of recording them one by one, on PostgreSQL (PGlite), and the rows SQLite gives', async () => {
    const db = await mirrorDatabase();
    await fc.assert(
      fc.asyncProperty(scenario, async ({ before, batch }) => {
        const start = startingStore(before);
        const startRows = syncedRowsToLoad(start.db);
        const onSqlite = copyOfStore(start);
        batchOnSqlite(onSqlite, batch);

        await loadRows(db, startRows);
        const oneByOne = batch.map(factOf);
        for (const { tx, input } of oneByOne) await db.transaction().execute((trx) => runBodyOnPostgres(trx, scanCommand.body!(tx, input)));
        const oneByOneRows = compared(await postgresRows(db, comparedTables));

        await loadRows(db, startRows);
        const batched = batch.map(factOf);
        await db.transaction().execute((trx) => runBodyOnPostgres(trx, recordScanFacts(batched[0]!.tx, batched)));
        expect(conflictsOf(batched)).toEqual(conflictsOf(oneByOne));
        const batchedRows = compared(await postgresRows(db, comparedTables));
        expect(batchedRows).toEqual(oneByOneRows);
        expect(batchedRows).toEqual(compared(syncedRowsToLoad(onSqlite.db)));
      }),
      { seed: 20261206, numRuns: 30 },
    );
  });

  it('records a batch in a few statements, whatever its size', () => {
    const store = copyOfStore(base.store);
    const statements: string[] = [];
    const prepare = store.statement.bind(store);
    store.statement = (text: string) => {
      statements.push(text);
      return prepare(text);
    };
    const batch = fc.sample(factSpec, { seed: 7, numRuns: 100 }).map((spec, n) => envelopeOf({ ...spec, code: codes[n % 8]! }, n));
    batchOnSqlite(store, batch);
    // Reads: recorded scans, events, gates, tickets exactly and in another case, wristbands, admitted
    // scans of tickets and of wristbands, the code of another event; writes: scans, flags, tickets,
    // wristbands, alerts.
    expect(statements.length).toBeLessThanOrEqual(16);
    expect(store.first(sql.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')))).toEqual({ n: 100 });
  });
});
