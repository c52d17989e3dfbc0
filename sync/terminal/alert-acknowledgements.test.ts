import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertViews } from '../../core/alerts/alert-list.ts';
import { sql, type Store } from '../../db/store.ts';
import { createEnrolmentCode } from '../../server/devices/enrolment.ts';
import { acknowledgements } from '../../test/fixtures/alerts.ts';
import { commandViews } from './command-views.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { loopbackSyncServer } from '../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { checkinTerminalAtServer } from '../../test/fixtures/sync-server.ts';
import { otherTerminal } from '../../test/fixtures/terminals.ts';
import { enrolledClient, enrolTerminal } from './enrolment.ts';
import { pullUntilCaughtUp } from './pull.ts';
import { syncNow } from './sync-now.ts';

/**
 * A conflict alert acknowledged on one terminal reaches the others (issue 11 item 3), through a
 * real server over HTTP on PostgreSQL and on PGlite: the alert a double admission raised on the
 * server reaches both gates by pull; the box office that handles it acknowledges it; the other
 * terminal, at its next sync, shows it acknowledged with who and when. Two terminals acknowledging
 * it offline end on the earliest acknowledgement, with nothing rejected.
 */
describe.each(serverStoreKinds)('alert acknowledgements across terminals, server on %s', (kind) => {
  const suite = loopbackSyncServer(kind);

  /**
   * Terminal A (operator-1, whose event the server holds) and B (Bo, a box office operator of the
   * server), a copy of A, both enrolled for the event; each has admitted the same ticket offline,
   * and both have synced twice round: the double admission's alert is on both.
   */
  async function doubleAdmissionOnBoth() {
    const a = await checkinTerminalAtServer(suite.server.db);
    const now = suite.server.clock.now().toISOString();
    await suite.server.db
      .insertInto('operators')
      .values({ id: 'op-bo', name: 'Bo', name_key: 'bo', role: 'box_office', pin_hash: 'x', created_at: now, updated_at: now, server_version: null, deleted_at: null })
      .execute();
    const b = otherTerminal(a.store, { clockStart: '2026-07-11T10:05:00.000Z', operator: 'Bo', role: 'box_office' });
    const enrol = async (store: Store, name: string) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'box-office-alerts-'));
      const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'admin', eventId: a.eventId });
      await enrolTerminal(store, { dataDir, serverUrl: suite.url, code, name });
      return () => enrolledClient(store, dataDir);
    };
    const clientA = await enrol(a.store, 'Box office A');
    const clientB = await enrol(b.store, 'Box office B');
    const ticket = a.tickets[0]!;
    await a.scan(ticket.reference, { at: '2026-07-11T10:00:00.000Z' });
    expectOk(await b.core.invoke('checkin.scan', { code: ticket.reference, gateId: a.gates.vip, direction: 'entry' }));
    for (const [store, client] of [[a.store, clientA], [b.store, clientB], [a.store, clientA]] as const) await syncNow(store, client());
    return { a, b, syncA: () => syncNow(a.store, clientA()), syncB: () => syncNow(b.store, clientB()), pullB: () => pullUntilCaughtUp(b.store, clientB()) };
  }

  const serverAcknowledgements = () => suite.server.db.selectFrom('alerts').select(['id', 'acknowledged_at', 'acknowledged_by', 'acknowledged_hlc']).orderBy('id').execute();
  const outboxStatuses = (store: Store) => store.all(sql.selectFrom('outbox').select(['name', 'status']).orderBy('seq'));

  it('B acknowledges the alert the server raised; A shows who and when after its next sync, as the server holds it', async () => {
    const { a, b, syncA, syncB } = await doubleAdmissionOnBoth();
    const waitingOnA = alertViews(a.store, { limit: 10, show: 'unacknowledged' });
    expect(waitingOnA).toMatchObject({ total: 1, unacknowledged: 1, alerts: [{ kind: 'double_admission', acknowledged: false }] });
    const alertId = waitingOnA.alerts[0]!.id;
    expect(alertViews(b.store, { limit: 10, show: 'unacknowledged' }).alerts.map((alert) => alert.id)).toEqual([alertId]);

    b.clock.set('2026-07-11T10:30:00.000Z');
    expectOk(await b.core.invoke('alerts.acknowledge', { alertIds: [alertId] }));
    // Waiting on B, the acknowledgement says what the alert is about: the ticket admitted twice, and its holder.
    const ticket = a.tickets[0]!;
    const [waiting] = commandViews(b.store, 'pending', 10).commands;
    expect(waiting!.concerns.map((concern) => concern.kind)).toEqual(['customer', 'ticket']);
    expect(waiting!.concerns[1]).toMatchObject({ id: ticket.id, label: `Ticket ${ticket.reference}` });
    expect((await syncB()).push).toMatchObject({ pushed: 1, applied: 1, rejected: 0 });
    await syncA();

    const shownOnA = alertViews(a.store, { limit: 10, show: 'all' });
    expect(shownOnA).toMatchObject({ total: 1, unacknowledged: 0 });
    expect(shownOnA.alerts[0]).toMatchObject({ id: alertId, acknowledged: true, acknowledgedAt: '2026-07-11T10:30:00.000Z', acknowledgedBy: 'Bo' });
    expect(acknowledgements(a.store)).toEqual(await serverAcknowledgements());
    expect(acknowledgements(b.store)).toEqual(await serverAcknowledgements());
  });

  it('both acknowledge it offline: after syncing, every store holds the earliest acknowledgement and no command is rejected', async () => {
    const { a, b, syncA, syncB, pullB } = await doubleAdmissionOnBoth();
    const [alert] = acknowledgements(a.store);
    // A acknowledges later by the clock than B, but reaches the server first.
    a.clock.set('2026-07-11T11:00:00.000Z');
    expectOk(await a.core.invoke('alerts.acknowledge', { alertIds: [alert!.id] }));
    b.clock.set('2026-07-11T10:40:00.000Z');
    expectOk(await b.core.invoke('alerts.acknowledge', { alertIds: [alert!.id] }));
    await syncA();
    expect(await serverAcknowledgements()).toMatchObject([{ acknowledged_by: 'operator-1' }]);
    // B pulls A's acknowledgement with its own still pending: the rebase runs B's again on top, and it stands, the earlier.
    expect(await pullB()).toMatchObject({ caughtUp: true, rerun: 1 });
    expect(acknowledgements(b.store)).toMatchObject([{ acknowledged_at: '2026-07-11T10:40:00.000Z', acknowledged_by: 'Bo' }]);
    await syncB();
    await syncA();

    const expected = [{ id: alert!.id, acknowledged_at: '2026-07-11T10:40:00.000Z', acknowledged_by: 'Bo', acknowledged_hlc: expect.any(String) }];
    expect(await serverAcknowledgements()).toEqual(expected);
    expect(acknowledgements(a.store)).toEqual(await serverAcknowledgements());
    expect(acknowledgements(b.store)).toEqual(await serverAcknowledgements());
    for (const store of [a.store, b.store]) expect(outboxStatuses(store).filter((row) => row.name === 'alerts.acknowledge')).toEqual([{ name: 'alerts.acknowledge', status: 'applied' }]);
  });
});
