import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { Store } from '../../db/store.ts';
import { acknowledgements, insertAlert } from '../../test/fixtures/alerts.ts';
import { auditRows, expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';
import { createTestCore, insertEvent, snapshot, steppingClock } from '../../test/fixtures/store.ts';
import { otherTerminal, outboxEnvelopes } from '../../test/fixtures/terminals.ts';
import { createCore } from '../api/core.ts';
import { replayEnvelope } from '../commands/registry.ts';
import { acknowledgementTakes } from './acknowledge.ts';

/**
 * alerts.acknowledge (issue 11 item 3) on the terminal's store, and in the `pglite` project on
 * PGlite too (test/fixtures/postgres-mirror.ts): who and when, audited, one outbox command per
 * event; an acknowledgement that stands is kept; the earliest of two made offline stands in either
 * order; bad input and unknown alerts change nothing; and the Sync screen's list (`sync.alerts`).
 */

function setup() {
  const test = createTestCore();
  const eventId = insertEvent(test.store);
  return { ...test, eventId };
}

/** A session signed in as a new operator of that role. */
async function signedIn(core: ReturnType<typeof createTestCore>['core'], name: string, role: 'steward' | 'box_office' | 'supervisor') {
  expectOk(await core.invoke('operators.add', { name, role, pin: '4826' }));
  const session = core.openSession();
  expectOk(await session.invoke('operators.signIn', { name, pin: '4826' }));
  return session;
}

describe('alerts.acknowledge', () => {
  it('records who acknowledged the alert and when, with the command’s HLC, audited, in one outbox command naming the alerts and their event', async () => {
    const { store, core, eventId } = setup();
    const alert = insertAlert(store, { eventId });
    const other = insertAlert(store, { eventId });

    const result = expectOk(await core.invoke('alerts.acknowledge', { alertIds: [alert] }));
    const [command] = outboxRows(store);
    expect(outboxRows(store)).toHaveLength(1);
    expect(command).toMatchObject({ name: 'alerts.acknowledge', version: 1, event_id: eventId, operator: 'operator-1', args: { alertIds: [alert], eventId } });
    expect(result).toEqual({ alerts: [{ alertId: alert, acknowledgedAt: command!.at, acknowledgedBy: 'operator-1', byThisCall: true }] });
    expect(acknowledgements(store)).toEqual(
      [
        { id: alert, acknowledged_at: command!.at, acknowledged_by: 'operator-1', acknowledged_hlc: command!.hlc },
        { id: other, acknowledged_at: null, acknowledged_by: null, acknowledged_hlc: null },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(auditRows(store)).toMatchObject([
      {
        operation: 'alerts.acknowledge@1',
        operator: 'operator-1',
        entity: 'alert',
        entity_id: alert,
        before: { acknowledgedAt: null, acknowledgedBy: null },
        after: { acknowledgedAt: command!.at, acknowledgedBy: 'operator-1' },
      },
    ]);
  });

  it('keeps an acknowledgement that stands: acknowledging again writes nothing and answers who and when it was', async () => {
    const { store, core, eventId } = setup();
    const first = insertAlert(store, { eventId });
    const second = insertAlert(store, { eventId });
    const earlier = expectOk(await core.invoke('alerts.acknowledge', { alertIds: [first] })).alerts[0]!;
    const bo = await signedIn(core, 'Bo', 'box_office');

    // One already acknowledged among others: those are acknowledged, that one kept as it was.
    expect(expectOk(await bo.invoke('alerts.acknowledge', { alertIds: [first, second, second] })).alerts).toEqual([
      { alertId: first, acknowledgedAt: earlier.acknowledgedAt, acknowledgedBy: 'operator-1', byThisCall: false },
      { alertId: second, acknowledgedAt: expect.any(String), acknowledgedBy: 'Bo', byThisCall: true },
    ]);
    expect(outboxRows(store).map((row) => row.args)).toEqual([
      { alertIds: [first], eventId },
      { alertIds: [first, second], eventId },
    ]);

    // All acknowledged already: nothing changes, nothing waits for the server.
    const written = () => ({ alerts: acknowledgements(store), outbox: outboxRows(store), audit: auditRows(store) });
    const before = written();
    expect(expectOk(await bo.invoke('alerts.acknowledge', { alertIds: [second] })).alerts).toMatchObject([{ alertId: second, acknowledgedBy: 'Bo', byThisCall: false }]);
    expect(written()).toEqual(before);
  });

  it('acknowledges alerts of two events as one command per event (an envelope names one event), all in one call', async () => {
    const { store, core, eventId } = setup();
    const otherEvent = insertEvent(store, { name: 'Winter Gala' });
    const here = insertAlert(store, { eventId });
    const there = insertAlert(store, { eventId: otherEvent });
    const noEvent = insertAlert(store, { eventId: null, kind: 'email_matched' });

    const { alerts } = expectOk(await core.invoke('alerts.acknowledge', { alertIds: [there, here, noEvent] }));
    expect(alerts.map((alert) => [alert.alertId, alert.byThisCall])).toEqual([
      [there, true],
      [here, true],
      [noEvent, true],
    ]);
    expect(outboxRows(store).map((row) => ({ event: row.event_id, args: row.args }))).toEqual([
      { event: otherEvent, args: { alertIds: [there], eventId: otherEvent } },
      { event: eventId, args: { alertIds: [here], eventId } },
      { event: null, args: { alertIds: [noEvent], eventId: null } },
    ]);
    expect(acknowledgements(store).every((alert) => alert.acknowledged_by === 'operator-1')).toBe(true);
  });

  it('refuses an alert this terminal does not hold, naming its place in the list, and changes nothing', async () => {
    const { store, core, eventId } = setup();
    const alert = insertAlert(store, { eventId });
    const before = snapshot(store);
    const error = expectError(await core.invoke('alerts.acknowledge', { alertIds: [alert, 'no-such-alert'] }), 'NOT_FOUND', 'alertIds.1');
    expect(error.message).toBe('Alert no-such-alert is not on this terminal: list the alerts again');
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const { store, core, eventId } = setup();
    insertAlert(store, { eventId });
    const before = snapshot(store);
    expect(expectError(await core.invoke('alerts.acknowledge', { alertIds: [] }), 'VALIDATION', 'alertIds').message).toMatch(/at least one alert/);
    expectError(await core.invoke('alerts.acknowledge', {} as never), 'VALIDATION', 'alertIds');
    expectError(await core.invoke('alerts.acknowledge', { alertIds: [' '] }), 'VALIDATION', 'alertIds.0');
    expect(expectError(await core.invoke('alerts.acknowledge', { alertIds: Array.from({ length: 501 }, (_, index) => `a-${index}`) }), 'VALIDATION', 'alertIds').message).toMatch(
      /At most 500 alerts/,
    );
    expect(snapshot(store)).toEqual(before);
  });

  it('may be run by whoever sees the alerts, box office and up; a steward may not, and learns nothing about the input', async () => {
    const { store, core, eventId } = setup();
    const alert = insertAlert(store, { eventId });
    const steward = await signedIn(core, 'Stu', 'steward');
    expectError(await steward.invoke('alerts.acknowledge', { alertIds: [] }), 'FORBIDDEN');
    expectError(await steward.invoke('alerts.acknowledge', { alertIds: [alert] }), 'FORBIDDEN');
    expectError(await steward.invoke('sync.alerts', {}), 'FORBIDDEN');
    const supervisor = await signedIn(core, 'Sue', 'supervisor');
    expect(expectOk(await supervisor.invoke('alerts.acknowledge', { alertIds: [alert] })).alerts[0]).toMatchObject({ acknowledgedBy: 'Sue', byThisCall: true });
  });

  it('of two acknowledgements made offline, the earliest by HLC stands, whichever order the envelopes arrive in', async () => {
    const { store: a, core, eventId } = setup();
    const alert = insertAlert(a, { eventId });
    // B starts from the same state; its clock is an hour behind A's, so its acknowledgement is the earlier one.
    const b = otherTerminal(a, { clockStart: '2026-06-01T09:00:00.000Z', operator: 'Bo', role: 'box_office' });
    expectOk(await core.invoke('alerts.acknowledge', { alertIds: [alert] }));
    expectOk(await b.core.invoke('alerts.acknowledge', { alertIds: [alert] }));
    const [fromA] = outboxEnvelopes(a);
    const [fromB] = outboxEnvelopes(b.store);

    // A receives B's earlier acknowledgement: it takes the alert; B receives A's later one: nothing changes.
    replayEnvelope(a, fromB!);
    replayEnvelope(b.store, fromA!);
    const expected = [{ id: alert, acknowledged_at: fromB!.at, acknowledged_by: 'Bo', acknowledged_hlc: fromB!.hlc }];
    expect(acknowledgements(a)).toEqual(expected);
    expect(acknowledgements(b.store)).toEqual(expected);
    // A's audit log keeps both: its own acknowledgement, then the earlier one that replaced it.
    expect(auditRows(a).map((row) => [row.operator, row.after])).toEqual([
      ['operator-1', { acknowledgedAt: fromA!.at, acknowledgedBy: 'operator-1' }],
      ['Bo', { acknowledgedAt: fromB!.at, acknowledgedBy: 'Bo' }],
    ]);
  });

  it('the rule: an acknowledgement takes an alert none stands on, or one acknowledged later; never the same one twice', () => {
    const standing = (hlc: string | null) => ({ acknowledged_at: '2026-06-01T10:00:00.000Z', acknowledged_hlc: hlc });
    const earlier = '000001780000000000:000000:device-b';
    const later = '000001780000000001:000000:device-a';
    expect(acknowledgementTakes({ acknowledged_at: null, acknowledged_hlc: null }, later)).toBe(true);
    expect(acknowledgementTakes(standing(later), earlier)).toBe(true);
    expect(acknowledgementTakes(standing(earlier), later)).toBe(false);
    expect(acknowledgementTakes(standing(later), later)).toBe(false);
    expect(acknowledgementTakes(standing(null), earlier)).toBe(false);
  });
});

describe('sync.alerts', () => {
  it('lists the alerts waiting first, newest first, then with show: all the acknowledged ones with who and when', async () => {
    const { store, core, eventId } = setup();
    const old = insertAlert(store, { eventId, createdAt: '2026-05-01T09:00:00.000Z', kind: 'tag_replaced' });
    const handled = insertAlert(store, { eventId, createdAt: '2026-05-01T10:00:00.000Z' });
    const recent = insertAlert(store, { eventId, createdAt: '2026-05-01T11:00:00.000Z', kind: 'some_new_rule' });
    const { alerts } = expectOk(await core.invoke('alerts.acknowledge', { alertIds: [handled] }));

    const waiting = expectOk(await core.invoke('sync.alerts', {}));
    expect(waiting).toMatchObject({ total: 2, unacknowledged: 2 });
    expect(waiting.alerts.map((alert) => [alert.id, alert.kindLabel, alert.acknowledged])).toEqual([
      [recent, 'Some new rule', false],
      [old, 'Wristband replaced', false],
    ]);
    const all = expectOk(await core.invoke('sync.alerts', { show: 'all' }));
    expect(all).toMatchObject({ total: 3, unacknowledged: 2 });
    expect(all.alerts.map((alert) => alert.id)).toEqual([recent, old, handled]);
    expect(all.alerts[2]).toEqual({
      id: handled,
      kind: 'double_admission',
      kindLabel: 'Double admission',
      message: 'Ticket T-1 was admitted twice: at Main entrance and at VIP entrance',
      at: '2026-05-01T10:00:00.000Z',
      fromThisTerminal: false,
      acknowledged: true,
      acknowledgedAt: alerts[0]!.acknowledgedAt,
      acknowledgedBy: 'operator-1',
    });
    expect(expectOk(await core.invoke('sync.alerts', { show: 'all', limit: 2 })).alerts.map((alert) => alert.id)).toEqual([recent, old]);
    expectError(await core.invoke('sync.alerts', { show: 'some' as never }), 'VALIDATION', 'show');
  });

  it('lists them in a process without a sync (the CLI), enrolled or not', async () => {
    const store = new Store(openDatabase(':memory:'));
    const eventId = insertEvent(store);
    insertAlert(store, { eventId });
    const core = createCore({ store, clock: steppingClock(), caller: { name: 'cli', role: 'admin' } });
    expect(expectOk(await core.invoke('sync.alerts', {}))).toMatchObject({ total: 1, unacknowledged: 1 });
    expect(await core.invoke('sync.status', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});
