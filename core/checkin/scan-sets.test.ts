import { describe, expect, it } from 'vitest';
import type { Store } from '../../db/store.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';
import type { BoundQuery } from '../commands/query-builder.ts';
import { admittedScansOf, eventsById, gatesById, recordedScans, tagsByUids, ticketsByReferences } from './scan-sets.ts';

/**
 * A batch of scan facts reads through indexes on the terminal too: a fact replayed there (a rebase
 * re-runs every pending scan after each pulled page) is a batch of one, on a store of a million
 * tickets, so no read may scan a table.
 */
function plan(store: Store, query: BoundQuery<unknown>): string {
  const { sql, parameters } = store.compile(query);
  return (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]).map((row) => row.detail).join('; ');
}

describe('the reads of a batch of scan facts', () => {
  it.each([1, 3])('probe indexes, never scan a table, for %i facts', (count) => {
    const { store, eventId, gates } = checkinSetup();
    const ids = Array.from({ length: count }, (_, index) => `id-${index}`);
    const reads = {
      recordedScans: recordedScans.with(ids),
      eventsById: eventsById.with([eventId]),
      gatesById: gatesById.with([gates.main]),
      ticketsByReferences: ticketsByReferences.with([eventId], ids),
      tagsByUids: tagsByUids.with([eventId], ids),
      admittedScansOfTickets: admittedScansOf.with(ids, []),
      admittedScansOfTags: admittedScansOf.with([], ids),
      admittedScansOfBoth: admittedScansOf.with(ids, ids),
    };
    for (const [name, query] of Object.entries(reads)) {
      const detail = plan(store, query);
      expect(detail, name).not.toMatch(/\bSCAN (tickets|tags|scans|events|gates|ticket_types|customers)\b(?! USING)/);
      expect(detail, name).toMatch(/SEARCH/);
    }
    expect(plan(store, reads.ticketsByReferences)).toContain('tickets_event_reference_folded');
    expect(plan(store, reads.admittedScansOfBoth)).toMatch(/scans_ticket.*scans_tag|scans_tag.*scans_ticket/);
  });
});
