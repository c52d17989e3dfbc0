import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store, sql } from '../../db/store.ts';
import { outboxRows } from '../../test/fixtures/commands.ts';
import { checkinSetup, ticketPresence } from '../../test/fixtures/checkin.ts';
import { insertTag, snapshot, steppingClock } from '../../test/fixtures/store.ts';
import { mirrorDatabase, mirrorEnabled } from '../../test/fixtures/postgres-mirror.ts';
import { applyEnvelopeOnPostgres } from '../commands/postgres-driver.ts';
import { scanCommand } from './scan.ts';
import { createCore } from '../api/core.ts';
import { envelopeOfOutboxRow } from '../commands/command.ts';
import type { Envelope } from '../commands/envelope.ts';
import { replayEnvelope } from '../commands/registry.ts';

const copyOf = (store: Store) => new Store(new Database(store.db.serialize()));
const envelopes = (store: Store): Envelope[] => store.all(sql.selectFrom('outbox').selectAll().orderBy('seq')).map(envelopeOfOutboxRow);
const verdicts = (store: Store) => store.all(sql.selectFrom('scans').select(['id', 'verdict', 'reason', 'scanned_at', 'gate_id']).orderBy('scanned_at'));

describe('checkin.scan as a fact', () => {
  it('carries its verdict, reason, warning and time in the envelope args', async () => {
    const { store, scan, ticket, gates } = checkinSetup();
    const t = ticket();
    const verdict = await scan(t.reference, { at: '2026-07-11T10:00:00.000Z' });
    expect(outboxRows(store)[0]!.args).toEqual({
      code: t.reference,
      gateId: gates.main,
      direction: 'entry',
      eventId: expect.any(String),
      scanId: verdict.scanId,
      verdict: 'admitted',
      reason: 'admitted',
      warning: null,
      at: '2026-07-11T10:00:00.000Z',
    });
  });

  it('gives merged scans from two gates one presence on every machine, in any arrival order, never deciding them again', async () => {
    const first = checkinSetup();
    const t = first.ticket();
    const before = copyOf(first.store);
    // A second gate terminal, offline, on the same data.
    const secondStore = copyOf(before);
    const secondClock = steppingClock('2026-07-11T11:00:00.000Z');
    const second = createCore({ store: secondStore, clock: secondClock, caller: { name: 'steward-2', role: 'steward' }, onInternalError: (error) => { throw error; } });

    await first.scan(t.reference, { at: '2026-07-11T10:00:00.000Z' });
    await first.scan(t.reference, { at: '2026-07-11T12:00:00.000Z', direction: 'exit' });
    const offline = await second.invoke('checkin.scan', { code: t.reference, gateId: first.gates.vip, direction: 'entry' });
    expect(offline).toMatchObject({ ok: true, value: { verdict: 'admitted' } });

    const facts = [...envelopes(first.store), ...envelopes(secondStore)];
    const inOrder = copyOf(before);
    for (const envelope of facts) replayEnvelope(inOrder, envelope);
    const reversed = copyOf(before);
    for (const envelope of [...facts].reverse()) replayEnvelope(reversed, envelope);
    // The first gate receives the second's scan after its own.
    for (const envelope of envelopes(secondStore)) replayEnvelope(first.store, envelope);

    const expected = {
      entry_count: 2,
      inside_since: null,
      inside_gate_id: null,
      first_scan_at: '2026-07-11T10:00:00.000Z',
      last_scan_at: '2026-07-11T12:00:00.000Z',
      last_scan_gate_id: first.gates.main,
    };
    for (const store of [inOrder, reversed, first.store]) {
      expect(ticketPresence(store, t.id)).toEqual(expected);
      // Replayed in order, the 11:00 entry met a ticket already inside; it stays admitted, as staff saw it.
      expect(verdicts(store).map((row) => [row.scanned_at, row.verdict])).toEqual([
        ['2026-07-11T10:00:00.000Z', 'admitted'],
        ['2026-07-11T11:00:00.000Z', 'admitted'],
        ['2026-07-11T12:00:00.000Z', 'admitted'],
      ]);
      // ...and is flagged a double admission, whichever order the gates' scans came in.
      expect(store.all(sql.selectFrom('scans').select(['scanned_at', 'double_admission']).orderBy('scanned_at')).map((row) => row.double_admission)).toEqual([0, 1, 0]);
    }
  });

  it('records a replayed or pushed scan once: its id again is a no-op answering the recorded verdict', async () => {
    const { store, scan, ticket, eventId, types, anna } = checkinSetup();
    insertTag(store, { eventId, ticketTypeId: types.weekend, customerId: anna, uid: '04A1A1A1', active: true });
    const t = ticket();
    const verdicts = [
      await scan(t.reference, { at: '2026-07-11T10:00:00.000Z' }),
      await scan(t.reference, { at: '2026-07-11T10:01:00.000Z', direction: 'exit' }),
      await scan(t.reference, { at: '2026-07-11T10:02:00.000Z' }),
      await scan(t.reference, { at: '2026-07-11T10:03:00.000Z' }),
      await scan('04a1a1a1', { at: '2026-07-11T10:04:00.000Z' }),
      await scan('NOPE-1', { at: '2026-07-11T10:05:00.000Z' }),
    ];
    expect(verdicts.map((verdict) => [verdict.reason, verdict.warning])).toEqual([
      ['admitted', null],
      ['admitted', null],
      ['admitted', 're_entry'],
      ['already_inside', null],
      ['admitted', null],
      ['unknown', null],
    ]);
    const facts = envelopes(store);
    const before = snapshot(store);
    // The verdict as recorded (verdict, reason, warning, time, gate, message), the credential as it is now.
    const recorded = (verdict: (typeof verdicts)[number]) => {
      const { entries: _entries, ...rest } = verdict;
      return rest;
    };
    const replayed = facts.map((envelope) => replayEnvelope(store, envelope) as (typeof verdicts)[number]);
    expect(replayed.map(recorded)).toEqual(verdicts.map(recorded));
    // The latest scan of each credential is answered exactly as it was.
    expect(replayed.slice(3)).toEqual(verdicts.slice(3));
    expect(snapshot(store)).toEqual(before);

    if (mirrorEnabled) {
      // The server, which holds the same scans (the mirror applied them), records a second push once too.
      const db = await mirrorDatabase();
      const rows = () => Promise.all([db.selectFrom('scans').selectAll().orderBy('id').execute(), db.selectFrom('tickets').selectAll().orderBy('id').execute(), db.selectFrom('tags').selectAll().orderBy('id').execute()]);
      const onServer = await rows();
      expect(onServer[0]).toHaveLength(verdicts.length);
      for (const [index, envelope] of facts.entries()) {
        const value = await db.transaction().execute((trx) => applyEnvelopeOnPostgres(trx, scanCommand, envelope));
        expect(value).toEqual(replayed[index]);
      }
      expect(await rows()).toEqual(onServer);
    }
  });

  it('records a fact made at a gate removed since; a new scan there is refused', async () => {
    const { store, core, scan, ticket, gates, eventId } = checkinSetup();
    const t = ticket();
    const before = copyOf(store);
    const verdict = await scan(t.reference, { at: '2026-07-11T10:00:00.000Z', gateId: gates.vip });
    const [fact] = envelopes(store);
    for (const copy of [before, store]) copy.run(sql.updateTable('gates').set({ deleted_at: '2026-07-11T10:30:00.000Z' }).where('id', '=', gates.vip));
    expect(replayEnvelope(before, fact!)).toEqual(verdict);
    expect(ticketPresence(before, t.id)).toMatchObject({ entry_count: 1, inside_gate_id: gates.vip });
    const refused = await core.invoke('checkin.scan', { code: t.reference, gateId: gates.vip, eventId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'gateId' } });
  });
});
