import { describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { applyEnvelope } from '../commands/command.ts';
import type { Envelope } from '../commands/envelope.ts';
import { runEnvelopeOnPostgres } from '../commands/postgres-driver.ts';
import { commandOf } from '../commands/registry.ts';
import { insertTag } from '../../test/fixtures/store.ts';
import { otherTerminal, outboxEnvelopes } from '../../test/fixtures/terminals.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { loadRows, mirrorDatabase, postgresRows, mirrorEnabled } from '../../test/fixtures/postgres-mirror.ts';
import { copyOfStore, syncedRows, syncedRowsToLoad, type TableRows } from '../../test/fixtures/synced-tables.ts';

/**
 * DESIGN.md section 6: two terminals activate different tags for one customer while offline. The
 * latest activation by HLC wins, whatever order a store applies the two envelopes in; the other tag
 * ends inactive, 'replaced'; the command that displaced the earlier activation, or the one that
 * lost to the later, reports `tag_replaced` and raises one alert.
 */

const tags = (store: Store) =>
  store.all(sql.selectFrom('tags').select(['id', 'uid', 'ticket_id', 'active', 'inactive_reason', 'activated_hlc']).orderBy('id'));

const alerts = (store: Store) => store.all(sql.selectFrom('alerts').select(['kind', 'entity', 'entity_id', 'device_id', 'event_id']).orderBy('id'));

/** Each envelope applied in its own transaction on a copy of `start`. */
function appliedInOrder(start: Store, envelopes: readonly Envelope[]) {
  const store = copyOfStore(start);
  const results = envelopes.map((envelope) => applyEnvelope(store, commandOf(envelope), envelope));
  return { store, results };
}

/** PGlite holding `rows`, then each envelope run in its own transaction by the PostgreSQL driver. */
async function onPostgres(rows: TableRows, envelopes: readonly Envelope[]) {
  const db = await mirrorDatabase();
  await loadRows(db, rows);
  const runs = [];
  for (const envelope of envelopes) runs.push(await db.transaction().execute((trx) => runEnvelopeOnPostgres(trx, commandOf(envelope), envelope)));
  return { results: runs.map((run) => run.result), conflicts: runs.map((run) => run.conflicts.map((conflict) => conflict.kind)), rows: await postgresRows(db, Object.keys(rows)) };
}

/**
 * Anna, her spare wristband and two tickets, on terminal A; terminal B a copy of it. A acts 30 s
 * before B on their clocks, so B's activation is the later one by HLC.
 */
function twoTerminals() {
  const a = checkinSetup();
  const spare = insertTag(a.store, { eventId: a.eventId, ticketTypeId: a.types.weekend, customerId: a.anna, uid: '04C3C3C3', active: false });
  const first = a.ticket();
  const second = a.ticket();
  const b = otherTerminal(a.store, { clockStart: '2026-06-01T10:00:30.000Z' }).core;
  const start = copyOfStore(a.store);
  return { a, b, spare, first, second, start };
}

describe('two terminals activate different tags for one customer', () => {
  it.each([
    ['in HLC order', false],
    ['later activation first', true],
  ])('the later activation by HLC wins, received %s, with one tag_replaced alert', async (_order, laterFirst) => {
    const { a, b, first, second, start } = twoTerminals();
    const onA = expectOk(await a.core.invoke('tags.activateForTicket', { ticketReference: first.reference, uid: '04A1A1A1' }));
    const onB = expectOk(await b.invoke('tags.activateForTicket', { ticketReference: second.reference, uid: '04B2B2B2' }));
    const [fromA] = outboxEnvelopes(a.store);
    const [fromB] = outboxEnvelopes(b.context.store);
    expect(fromA!.hlc < fromB!.hlc).toBe(true);
    // Each terminal saw Anna with no active tag: the envelope says so.
    expect(fromA!.args).toMatchObject({ activeTagIdsSeen: [] });

    const order = laterFirst ? [fromB!, fromA!] : [fromA!, fromB!];
    const server = appliedInOrder(start, order);
    expect(tags(server.store).filter((tag) => tag.ticket_id !== null)).toEqual([
      { id: onA.tagId, uid: '04A1A1A1', ticket_id: first.id, active: 0, inactive_reason: 'replaced', activated_hlc: laterFirst ? null : fromA!.hlc },
      { id: onB.tagId, uid: '04B2B2B2', ticket_id: second.id, active: 1, inactive_reason: null, activated_hlc: fromB!.hlc },
    ]);
    // One alert, raised by the command that met the other: B displacing A, or A losing to B.
    expect(alerts(server.store)).toEqual([{ kind: 'tag_replaced', entity: 'tag', entity_id: onA.tagId, device_id: (laterFirst ? fromA : fromB)!.deviceId, event_id: a.eventId }]);
    const results = laterFirst ? [...server.results].reverse() : server.results;
    expect(results).toEqual([{ ...onA, replacedTagIds: [] }, { ...onB, replacedTagIds: laterFirst ? [] : [onA.tagId] }]);

    // The terminal whose envelope the server received second ends where the server is when it
    // rebases: the server's rows, then its own pending envelope on top.
    const [received, pending] = order;
    const terminal = laterFirst ? a.store : b.context.store;
    const rebased = copyOfStore(start);
    applyEnvelope(rebased, commandOf(received!), received!);
    applyEnvelope(rebased, commandOf(pending!), pending!);
    expect(syncedRows(rebased.db)).toEqual(syncedRows(server.store.db));
    expect(tags(terminal).find((tag) => tag.id === (laterFirst ? onA : onB).tagId)?.active).toBe(1);

    if (mirrorEnabled) {
      const postgres = await onPostgres(syncedRowsToLoad(start.db), order);
      expect(postgres.results).toEqual(server.results);
      expect(postgres.conflicts).toEqual([[], ['tag_replaced']]);
      expect(postgres.rows).toEqual(syncedRows(server.store.db));
    }
  });

  it.each([
    ['in HLC order', false],
    ['later activation first', true],
  ])('a "Make active" on one terminal and an assignment on another follow the same rule, received %s', async (_order, laterFirst) => {
    const { a, b, spare, start } = twoTerminals();
    expectOk(await a.core.invoke('tags.makeActive', { tagId: spare }));
    const assigned = expectOk(await b.invoke('tags.assign', { customerId: a.anna, uid: '04D4D4D4', ticketTypeId: a.types.weekend }));
    expect(assigned.active).toBe(true);
    const [fromA] = outboxEnvelopes(a.store);
    const [fromB] = outboxEnvelopes(b.context.store);
    const order = laterFirst ? [fromB!, fromA!] : [fromA!, fromB!];
    const server = appliedInOrder(start, order);
    expect(tags(server.store).map((tag) => ({ uid: tag.uid, active: tag.active, inactive_reason: tag.inactive_reason }))).toEqual([
      { uid: '04C3C3C3', active: 0, inactive_reason: 'replaced' },
      { uid: '04D4D4D4', active: 1, inactive_reason: null },
    ]);
    expect(alerts(server.store)).toEqual([{ kind: 'tag_replaced', entity: 'tag', entity_id: spare, device_id: (laterFirst ? fromA : fromB)!.deviceId, event_id: a.eventId }]);
    if (mirrorEnabled) {
      const postgres = await onPostgres(syncedRowsToLoad(start.db), order);
      expect(postgres.conflicts).toEqual([[], ['tag_replaced']]);
      expect(postgres.rows).toEqual(syncedRows(server.store.db));
    }
  });

  it('replacing a tag the terminal saw active is no conflict, on the terminal or when replayed', async () => {
    const { a, start } = twoTerminals();
    const exchanged = expectOk(await a.core.invoke('tags.activateForTicket', { ticketReference: 'TCK-1', uid: '04A1A1A1' }));
    const replaced = expectOk(await a.core.invoke('tags.replace', { oldTagId: exchanged.tagId, newUid: '04E5E5E5' }));
    expect(replaced.replacedTagIds).toEqual([exchanged.tagId]);
    const envelopes = outboxEnvelopes(a.store);
    expect(envelopes[1]!.args).toMatchObject({ activeTagIdsSeen: [exchanged.tagId] });
    const replayed = appliedInOrder(start, envelopes);
    expect(alerts(replayed.store)).toEqual([]);
    expect(syncedRows(replayed.store.db)).toEqual(syncedRows(a.store.db));
    if (mirrorEnabled) expect((await onPostgres(syncedRowsToLoad(start.db), envelopes)).conflicts).toEqual([[], []]);
  });

  it('a tag activated before HLCs were kept (none stamped) counts as the earlier activation', async () => {
    const { a, b, start } = twoTerminals();
    // A's wristband predates migration 0012: active, no activation HLC; B did not see it.
    const legacy = insertTag(start, { eventId: a.eventId, ticketTypeId: a.types.weekend, customerId: a.anna, uid: '04F6F6F6', active: true });
    expectOk(await b.invoke('tags.activateForTicket', { ticketReference: 'TCK-2', uid: '04B2B2B2' }));
    const server = appliedInOrder(start, outboxEnvelopes(b.context.store));
    expect(tags(server.store).find((tag) => tag.id === legacy)).toMatchObject({ active: 0, inactive_reason: 'replaced' });
    expect(alerts(server.store)).toMatchObject([{ kind: 'tag_replaced', entity_id: legacy }]);
  });
});
