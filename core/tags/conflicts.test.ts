import { describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { createCore } from '../api/core.ts';
import { applyEnvelope, envelopeOfOutboxRow } from '../commands/command.ts';
import type { Envelope } from '../commands/envelope.ts';
import { applyEnvelopeOnPostgres } from '../commands/postgres-driver.ts';
import { steppingClock } from '../../test/fixtures/store.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { loadRows, mirrorDatabase, postgresRows, mirrorEnabled } from '../../test/fixtures/postgres-mirror.ts';
import { copyOfStore, syncedRows, syncedRowsToLoad, type TableRows } from '../../test/fixtures/synced-tables.ts';
import { activateTagForTicket } from './activation-for-ticket.ts';

/**
 * DESIGN.md section 6: two terminals activate different tags for one customer while offline. Each
 * activation deactivates whatever tag is active when it runs, so wherever the two envelopes are
 * applied in one order (the server, in the order they arrive; a terminal's rebase, its pending one
 * on top) the one applied last is the active tag and the other ends inactive, 'replaced'.
 */

const tags = (store: Store) =>
  store.all(sql.selectFrom('tags').select(['id', 'uid', 'ticket_id', 'active', 'inactive_reason']).orderBy('id'));

const outboxEnvelopes = (store: Store): Envelope[] =>
  store.all(sql.selectFrom('outbox').selectAll().orderBy('seq')).map(envelopeOfOutboxRow);

/** PGlite holding `rows`, then each envelope applied in its own transaction by the PostgreSQL driver. */
async function onPostgres(rows: TableRows, envelopes: readonly Envelope[]) {
  const db = await mirrorDatabase();
  await loadRows(db, rows);
  const results = [];
  for (const envelope of envelopes) {
    results.push(await db.transaction().execute((trx) => applyEnvelopeOnPostgres(trx, activateTagForTicket, envelope)));
  }
  return { results, rows: await postgresRows(db, Object.keys(rows)) };
}

describe('two terminals activate different tags for one customer', () => {
  it('the activation applied last wins and the other tag ends inactive, replaced, on every store alike', async () => {
    const a = checkinSetup();
    const first = a.ticket();
    const second = a.ticket();
    // Both terminals hold this state when they go offline; B is another device (its own id).
    const start = copyOfStore(a.store);
    const b = createCore({ store: copyOfStore(a.store), clock: steppingClock('2026-06-01T10:00:30.000Z'), caller: { name: 'operator-2', role: 'admin' } });

    const onA = expectOk(await a.core.invoke('tags.activateForTicket', { ticketReference: first.reference, uid: '04A1A1A1' }));
    const onB = expectOk(await b.invoke('tags.activateForTicket', { ticketReference: second.reference, uid: '04B2B2B2' }));
    expect(onB.replacedTagIds).toEqual([]);
    const [fromA] = outboxEnvelopes(a.store);
    const [fromB] = outboxEnvelopes(b.context.store);
    expect(fromA!.deviceId).not.toBe(fromB!.deviceId);

    // The server applies A's envelope, then B's, as they arrive.
    const server = copyOfStore(start);
    expect(applyEnvelope(server, activateTagForTicket, fromA!)).toEqual(onA);
    const decided = applyEnvelope(server, activateTagForTicket, fromB!);
    expect(decided).toEqual({ ...onB, replacedTagIds: [onA.tagId] });
    expect(tags(server)).toEqual([
      { id: onA.tagId, uid: '04A1A1A1', ticket_id: first.id, active: 0, inactive_reason: 'replaced' },
      { id: onB.tagId, uid: '04B2B2B2', ticket_id: second.id, active: 1, inactive_reason: null },
    ]);

    // Terminal A, rebasing, applies B's envelope on top of its own and ends where the server is.
    applyEnvelope(a.store, activateTagForTicket, fromB!);
    expect(syncedRows(a.store.db)).toEqual(syncedRows(server.db));

    if (mirrorEnabled) {
      const postgres = await onPostgres(syncedRowsToLoad(start.db), [fromA!, fromB!]);
      expect(postgres.results).toEqual([onA, decided]);
      expect(postgres.rows).toEqual(syncedRows(server.db));
    }
  });
});
