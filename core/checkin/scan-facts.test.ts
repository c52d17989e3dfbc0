import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store, sql } from '../../db/store.ts';
import { outboxRows } from '../../test/fixtures/commands.ts';
import { checkinSetup, ticketPresence } from '../../test/fixtures/checkin.ts';
import { steppingClock } from '../../test/fixtures/store.ts';
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
    }
  });
});
