import { describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { applyEnvelope } from '../commands/command.ts';
import type { Envelope } from '../commands/envelope.ts';
import { runEnvelopeOnPostgres } from '../commands/postgres-driver.ts';
import { commandOf } from '../commands/registry.ts';
import { checkinSetup, ticketPresence } from '../../test/fixtures/checkin.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { loadRows, mirrorDatabase, mirrorEnabled, postgresRows } from '../../test/fixtures/postgres-mirror.ts';
import { copyOfStore, syncedRows, syncedRowsToLoad } from '../../test/fixtures/synced-tables.ts';
import { otherTerminal, outboxEnvelopes } from '../../test/fixtures/terminals.ts';
import { doubleAdmissionMessage, doubleAdmissions } from './double-admission.ts';
import { noPresence, type AdmittedScan } from './presence.ts';

const entry = (id: string, at: string): AdmittedScan => ({ id, direction: 'entry', at: `2026-07-11T${at}:00.000Z`, gateId: null });
const exit = (id: string, at: string): AdmittedScan => ({ id, direction: 'exit', at: `2026-07-11T${at}:00.000Z`, gateId: null });
const open = { maxEntries: null, reentryAllowed: true };

describe('double admissions (pure)', () => {
  it('flags the later of two entries with no exit between, whatever order the scans come in', () => {
    const scans = [entry('b', '10:05'), entry('a', '10:00')];
    expect(doubleAdmissions(scans, open, noPresence)).toEqual(new Map([['b', 'already_inside']]));
    expect(doubleAdmissions([...scans].reverse(), open, noPresence)).toEqual(new Map([['b', 'already_inside']]));
  });

  it('takes an exit between two entries as a re-entry, and never flags an exit', () => {
    expect(doubleAdmissions([entry('a', '10:00'), entry('c', '10:10'), exit('b', '10:05')], open, noPresence)).toEqual(new Map());
    expect(doubleAdmissions([exit('a', '09:00'), exit('b', '09:30')], open, noPresence)).toEqual(new Map());
  });

  it('flags entries past max entries and re-entries a type does not allow, counting what the credential carried', () => {
    expect(doubleAdmissions([entry('a', '10:00'), exit('b', '10:05'), entry('c', '10:10')], { maxEntries: 1, reentryAllowed: true }, noPresence)).toEqual(
      new Map([['c', 'max_entries_reached']]),
    );
    expect(doubleAdmissions([entry('a', '10:00'), exit('b', '10:05'), entry('c', '10:10')], { maxEntries: null, reentryAllowed: false }, noPresence)).toEqual(
      new Map([['c', 'reentry_not_allowed']]),
    );
    // A wristband that carried one entry of its ticket over, on a two-entry type.
    expect(doubleAdmissions([entry('a', '10:00'), exit('b', '10:05'), entry('c', '10:10')], { maxEntries: 2, reentryAllowed: true }, { ...noPresence, entryCount: 1 })).toEqual(
      new Map([['c', 'max_entries_reached']]),
    );
  });

  it('says which credential, when and why', () => {
    expect(doubleAdmissionMessage('Ticket TCK-1', 'Sat 11 Jul 2026, 12:05', 'already_inside')).toBe(
      'Ticket TCK-1: double admission at Sat 11 Jul 2026, 12:05. Another gate, offline, had admitted it already, so this entry came while it was inside; both scans are kept',
    );
  });
});

const flags = (store: Store) => store.all(sql.selectFrom('scans').select(['id', 'scanned_at', 'verdict', 'double_admission']).orderBy('scanned_at'));
const alerts = (store: Store) => store.all(sql.selectFrom('alerts').select(['kind', 'entity', 'entity_id', 'device_id']).orderBy('id'));

/** Every order of the envelopes. */
function orders<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => orders([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

function appliedInOrder(start: Store, envelopes: readonly Envelope[]) {
  const store = copyOfStore(start);
  for (const envelope of envelopes) applyEnvelope(store, commandOf(envelope), envelope);
  return store;
}

async function conflictsOnPostgres(start: Store, envelopes: readonly Envelope[]) {
  const db = await mirrorDatabase();
  const rows = syncedRowsToLoad(start.db);
  await loadRows(db, rows);
  const conflicts = [];
  for (const envelope of envelopes) {
    const run = await db.transaction().execute((trx) => runEnvelopeOnPostgres(trx, commandOf(envelope), envelope));
    conflicts.push(run.conflicts.map((conflict) => conflict.kind));
  }
  return { conflicts, rows: await postgresRows(db, Object.keys(rows)) };
}

/** Gate A, and gate B offline on a copy of A's state: both admit the same ticket. */
function twoGates() {
  const a = checkinSetup();
  const ticket = a.ticket();
  const start = copyOfStore(a.store);
  const b = otherTerminal(a.store, { clockStart: '2026-07-11T10:05:00.000Z', operator: 'steward-2', role: 'steward' });
  return { a, b, ticket, start };
}

describe('the same ticket admitted at two offline gates', () => {
  it.each([
    ['in time order', false],
    ['later scan first', true],
  ])('keeps both scans, flags the later one, raises one alert and derives one presence, received %s', async (_order, laterFirst) => {
    const { a, b, ticket, start } = twoGates();
    const first = await a.scan(ticket.reference, { at: '2026-07-11T10:00:00.000Z' });
    const second = expectOk(await b.core.invoke('checkin.scan', { code: ticket.reference, gateId: a.gates.vip, direction: 'entry' }));
    expect([first.verdict, second.verdict]).toEqual(['admitted', 'admitted']);
    const [fromA] = outboxEnvelopes(a.store);
    const [fromB] = outboxEnvelopes(b.store);
    const order = laterFirst ? [fromB!, fromA!] : [fromA!, fromB!];

    const server = appliedInOrder(start, order);
    expect(flags(server)).toEqual([
      { id: first.scanId, scanned_at: '2026-07-11T10:00:00.000Z', verdict: 'admitted', double_admission: 0 },
      { id: second.scanId, scanned_at: '2026-07-11T10:05:00.000Z', verdict: 'admitted', double_admission: 1 },
    ]);
    // Raised by the command whose scan made the situation: the later scan, or the earlier one arriving after it.
    expect(alerts(server)).toEqual([{ kind: 'double_admission', entity: 'scan', entity_id: second.scanId, device_id: order[1]!.deviceId }]);
    expect(ticketPresence(server, ticket.id)).toEqual({
      entry_count: 2,
      inside_since: '2026-07-11T10:05:00.000Z',
      inside_gate_id: a.gates.vip,
      first_scan_at: '2026-07-11T10:00:00.000Z',
      last_scan_at: '2026-07-11T10:05:00.000Z',
      last_scan_gate_id: a.gates.vip,
    });

    // Gate A receives B's fact (its rebase records it) and counts the double admission.
    applyEnvelope(a.store, commandOf(fromB!), fromB!);
    expect(flags(a.store)).toEqual(flags(server));
    a.setTime('2026-07-11T18:00:00.000Z');
    expect(expectOk(await a.core.invoke('checkin.counts', {}))).toMatchObject({ admittedToday: 2, doubleAdmissionsToday: 1, insideNow: 1 });

    if (mirrorEnabled) {
      const postgres = await conflictsOnPostgres(start, order);
      expect(postgres.conflicts).toEqual([[], ['double_admission']]);
      expect(postgres.rows).toEqual(syncedRows(server.db));
    }
  });

  it('unflags a double admission once a third gate’s exit between the two entries arrives, in every arrival order', async () => {
    const { a, b, ticket, start } = twoGates();
    await a.scan(ticket.reference, { at: '2026-07-11T10:00:00.000Z' });
    // Gate C saw A's admission, then let the holder out at 10:03; B admitted at 10:05 without either.
    const c = otherTerminal(a.store, { clockStart: '2026-07-11T10:03:00.000Z', operator: 'steward-3', role: 'steward' });
    expectOk(await c.core.invoke('checkin.scan', { code: ticket.reference, gateId: a.gates.main, direction: 'exit' }));
    expectOk(await b.core.invoke('checkin.scan', { code: ticket.reference, gateId: a.gates.vip, direction: 'entry' }));
    // C's outbox starts with A's scan (C is a copy of A's store): only its exit is C's own.
    const facts = [...outboxEnvelopes(a.store), ...outboxEnvelopes(c.store).slice(1), ...outboxEnvelopes(b.store)];
    expect(facts).toHaveLength(3);

    const results = orders(facts).map((order) => appliedInOrder(start, order));
    for (const store of results) {
      expect(flags(store).map((scan) => scan.double_admission)).toEqual([0, 0, 0]);
      expect(ticketPresence(store, ticket.id)).toEqual(ticketPresence(results[0]!, ticket.id));
    }
    expect(ticketPresence(results[0]!, ticket.id)).toMatchObject({ entry_count: 2, inside_since: '2026-07-11T10:05:00.000Z' });
    // Received A, B, C: B's entry was flagged until C's exit came in between.
    const flaggedThenCleared = [facts[0]!, facts[2]!, facts[1]!];
    expect(alerts(appliedInOrder(start, flaggedThenCleared))).toMatchObject([{ kind: 'double_admission' }]);
    if (mirrorEnabled) expect((await conflictsOnPostgres(start, flaggedThenCleared)).conflicts).toEqual([[], ['double_admission'], []]);
  });

  it('flags a wristband admitted at two offline gates past its single entry', async () => {
    const { a } = twoGates();
    const single = a.ticket(a.types.once);
    const exchanged = expectOk(await a.core.invoke('tags.activateForTicket', { ticketReference: single.reference, uid: '04A1A1A1' }));
    const start = copyOfStore(a.store);
    const b = otherTerminal(a.store, { clockStart: '2026-07-11T11:00:00.000Z', operator: 'steward-2', role: 'steward' });
    await a.scan('04A1A1A1', { at: '2026-07-11T10:00:00.000Z' });
    await a.scan('04A1A1A1', { at: '2026-07-11T10:30:00.000Z', direction: 'exit' });
    expectOk(await b.core.invoke('checkin.scan', { code: '04A1A1A1', gateId: a.gates.vip, direction: 'entry' }));
    const fromA = outboxEnvelopes(a.store).slice(1);
    const fromB = outboxEnvelopes(b.store).slice(1);
    for (const order of [[...fromA, ...fromB], [...fromB, ...fromA]]) {
      const server = appliedInOrder(start, order);
      expect(flags(server).map((scan) => [scan.scanned_at, scan.double_admission])).toEqual([
        ['2026-07-11T10:00:00.000Z', 0],
        ['2026-07-11T10:30:00.000Z', 0],
        ['2026-07-11T11:00:00.000Z', 1],
      ]);
      expect(server.first(sql.selectFrom('tags').select('entry_count').where('id', '=', exchanged.tagId))).toEqual({ entry_count: 2 });
    }
  });
});
