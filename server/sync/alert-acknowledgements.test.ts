import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../core/commands/envelope.ts';
import { newId } from '../../core/ids.ts';
import { nameKey } from '../../core/operators/operators.ts';
import type { Role } from '../../core/operators/roles.ts';
import { deviceId } from '../../core/terminal/state.ts';
import type { Store } from '../../db/store.ts';
import type { DeviceRole } from '../../sync/protocol.ts';
import { insertAlert } from '../../test/fixtures/alerts.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { loadRows } from '../../test/fixtures/postgres-mirror.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { openSyncServer, stampSyncedRows, type SyncServer } from '../../test/fixtures/sync-server.ts';
import { syncedRowsToLoad } from '../../test/fixtures/synced-tables.ts';
import { createTestCore, insertEvent } from '../../test/fixtures/store.ts';
import { otherTerminal, outboxEnvelopes } from '../../test/fixtures/terminals.ts';

/**
 * alerts.acknowledge pushed to the server (issue 11 item 3), which runs the terminal's body on its
 * own state, on PostgreSQL and on PGlite: the acknowledgement lands with who and when, stamped with
 * the event's next version (so every terminal of the event pulls it); two made offline end on the
 * earliest in either arrival order, neither a rejection nor a conflict; the roles of the device and
 * of the operator; an alert the server does not hold, or of another event than the envelope's, is
 * refused with the field named.
 */
describe.each(serverStoreKinds)('alert acknowledgements pushed to the server on %s', (kind) => {
  let sync: SyncServer;

  beforeAll(async () => {
    sync = await openSyncServer(kind);
    // PGlite starts in seconds, more when other suites share the CPUs.
  }, 60_000);
  afterAll(() => sync.close());

  /**
   * Terminal A (operator Ada, admin) holding an event with two alerts the server holds too, stamped,
   * and the operators the server knows.
   */
  async function terminalWithAlerts(operators: Record<string, Role> = { Ada: 'admin', Bo: 'box_office', Stu: 'steward' }) {
    const test = createTestCore();
    const eventId = insertEvent(test.store);
    const otherEventId = insertEvent(test.store, { name: 'Winter Gala' });
    const alerts = [insertAlert(test.store, { eventId }), insertAlert(test.store, { eventId })];
    const elsewhere = insertAlert(test.store, { eventId: otherEventId });
    await loadRows(sync.db, syncedRowsToLoad(test.store.db));
    const at = sync.clock.now().toISOString();
    await sync.db
      .insertInto('operators')
      .values(Object.entries(operators).map(([name, role]) => ({ id: `op-${name}`, name, name_key: nameKey(name), role, pin_hash: 'x', created_at: at, updated_at: at, server_version: null, deleted_at: null })))
      .execute();
    await stampSyncedRows(sync.db);
    return { ...test, eventId, otherEventId, alerts, elsewhere };
  }

  /** The terminal's pushes as a device of that role, enrolled for the event. */
  async function enrolled(store: Store, role: DeviceRole, eventId: string) {
    const { token } = await sync.enrol(role, { deviceId: deviceId(store), eventId });
    return (envelopes: readonly Envelope[] = outboxEnvelopes(store)) => sync.push(token, envelopes);
  }

  const serverAlerts = () => sync.db.selectFrom('alerts').select(['id', 'acknowledged_at', 'acknowledged_by', 'acknowledged_hlc', 'server_version']).orderBy('id').execute();
  const eventVersion = async (scope: string) => Number((await sync.db.selectFrom('event_versions').select('version').where('scope', '=', scope).executeTakeFirstOrThrow()).version);

  it('records who acknowledged and when, stamped with the event’s next version so every terminal of the event pulls it', async () => {
    const a = await terminalWithAlerts();
    const before = await eventVersion(a.eventId);
    const b = otherTerminal(a.store, { clockStart: '2026-06-01T11:00:00.000Z', operator: 'Bo', role: 'box_office' });
    expectOk(await b.core.invoke('alerts.acknowledge', { alertIds: [a.alerts[0]!] }));
    const [envelope] = outboxEnvelopes(b.store);

    const response = await (await enrolled(b.store, 'box_office', a.eventId))();
    expect(response.receipts).toEqual([{ id: envelope!.id, seq: 1, status: 'applied' }]);
    const version = await eventVersion(a.eventId);
    expect(version).toBe(before + 1);
    expect((await serverAlerts()).find((alert) => alert.id === a.alerts[0])).toEqual({
      id: a.alerts[0],
      acknowledged_at: envelope!.at,
      acknowledged_by: 'Bo',
      acknowledged_hlc: envelope!.hlc,
      server_version: version,
    });
    expect((await serverAlerts()).find((alert) => alert.id === a.alerts[1])).toMatchObject({ acknowledged_at: null });
    const audit = await sync.db.selectFrom('audit_log').select(['operator', 'operation', 'entity', 'entity_id']).where('entity', '=', 'alert').execute();
    expect(audit).toEqual([{ operator: 'Bo', operation: 'alerts.acknowledge@1', entity: 'alert', entity_id: a.alerts[0] }]);
  });

  it.each([
    ['A first', false],
    ['B first', true],
  ] as const)('keeps the earliest of two acknowledgements made offline, received %s; both are applied, neither is a conflict', async (_order, bFirst) => {
    const a = await terminalWithAlerts();
    const [alert] = a.alerts;
    // B's clock runs an hour behind A's: its acknowledgement is the earlier one by HLC.
    const b = otherTerminal(a.store, { clockStart: '2026-06-01T09:00:00.000Z', operator: 'Bo', role: 'box_office' });
    const ada = otherTerminal(a.store, { clockStart: '2026-06-01T10:00:00.000Z', operator: 'Ada', role: 'admin' });
    expectOk(await ada.core.invoke('alerts.acknowledge', { alertIds: [alert!] }));
    expectOk(await b.core.invoke('alerts.acknowledge', { alertIds: [alert!] }));
    const pushA = await enrolled(ada.store, 'admin', a.eventId);
    const pushB = await enrolled(b.store, 'box_office', a.eventId);

    const responses = bFirst ? [await pushB(), await pushA()] : [await pushA(), await pushB()];
    expect(responses.map((response) => response.receipts.map((receipt) => receipt.status))).toEqual([['applied'], ['applied']]);
    const [fromB] = outboxEnvelopes(b.store);
    expect((await serverAlerts()).find((row) => row.id === alert)).toMatchObject({ acknowledged_at: fromB!.at, acknowledged_by: 'Bo', acknowledged_hlc: fromB!.hlc });
  });

  it('refuses an acknowledgement from a gate, from a steward and from an operator the server does not know: rejected, the alert unchanged', async () => {
    const a = await terminalWithAlerts({ Ada: 'admin', Stu: 'steward' });
    const gate = otherTerminal(a.store, { clockStart: '2026-06-01T11:00:00.000Z', operator: 'Ada', role: 'admin' });
    expectOk(await gate.core.invoke('alerts.acknowledge', { alertIds: [a.alerts[0]!] }));
    // A steward on a box office terminal and a stranger: their terminals ran it as an admin (the CLI's local administrator), the server decides by name.
    const steward = otherTerminal(a.store, { clockStart: '2026-06-01T11:00:00.000Z', operator: 'Stu', role: 'admin' });
    expectOk(await steward.core.invoke('alerts.acknowledge', { alertIds: [a.alerts[0]!] }));
    const stranger = otherTerminal(a.store, { clockStart: '2026-06-01T11:00:00.000Z', operator: 'Nobody', role: 'admin' });
    expectOk(await stranger.core.invoke('alerts.acknowledge', { alertIds: [a.alerts[0]!] }));

    expect((await (await enrolled(gate.store, 'gate', a.eventId))()).receipts).toMatchObject([
      { status: 'rejected', code: 'forbidden', message: 'A gate terminal may not run alerts.acknowledge' },
    ]);
    expect((await (await enrolled(steward.store, 'box_office', a.eventId))()).receipts).toMatchObject([
      { status: 'rejected', code: 'forbidden', message: 'Stu (steward) may not run alerts.acknowledge' },
    ]);
    expect((await (await enrolled(stranger.store, 'box_office', a.eventId))()).receipts).toMatchObject([
      { status: 'rejected', code: 'forbidden', message: 'Nobody is not an operator of this server' },
    ]);
    expect((await serverAlerts()).every((alert) => alert.acknowledged_at === null)).toBe(true);
  });

  it('refuses an alert the server does not hold, and one of another event than the envelope’s, naming the field', async () => {
    const a = await terminalWithAlerts();
    const b = otherTerminal(a.store, { clockStart: '2026-06-01T11:00:00.000Z', operator: 'Ada', role: 'admin' });
    // Raised on B only (as by its optimistic run of a rule the server then decided otherwise).
    const onlyHere = insertAlert(b.store, { eventId: a.eventId });
    expectOk(await b.core.invoke('alerts.acknowledge', { alertIds: [a.alerts[0]!, onlyHere] }));
    const [envelope] = outboxEnvelopes(b.store);
    // The same command naming an alert of the other event: envelope and args agree, the alert does not.
    const forged: Envelope = { ...envelope!, id: newId(), seq: 2, args: { alertIds: [a.elsewhere], eventId: a.eventId } };

    const { receipts } = await (await enrolled(b.store, 'admin', a.eventId))([envelope!, forged]);
    expect(receipts).toMatchObject([
      { seq: 1, status: 'rejected', code: 'not_found', field: 'alertIds.1' },
      { seq: 2, status: 'rejected', code: 'not_found', field: 'alertIds.0' },
    ]);
    expect(receipts[0]!.message).toBe(`No alert ${onlyHere} of this event here: the conflict that raised it was decided otherwise`);
    // The whole command was refused: the alert the server holds is not acknowledged either.
    expect((await serverAlerts()).every((alert) => alert.acknowledged_at === null)).toBe(true);
  });
});
