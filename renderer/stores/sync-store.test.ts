import { describe, expect, it } from 'vitest';
import { hrefFor, parseHash } from '../routing/hash-route.ts';
import { createFakeHost, ok, settle } from '../test-support/fake-host.ts';
import { syncStatusFixture } from '../test-support/sync-status.ts';
import { acknowledgeKey, syncActionKeys, createSyncStore } from './sync-store.ts';

const status = syncStatusFixture;

describe('sync store', () => {
  it('loads the status, follows the host’s status and progress events, and hides where the host has no sync', async () => {
    const host = createFakeHost({ 'sync.status': () => ok(status()) });
    const store = createSyncStore(host.client);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ phase: 'ready', status: { connection: 'online', waiting: 0 } });
    host.client.emit({ type: 'sync.status', status: status({ connection: 'offline', waiting: 3 }) });
    expect(store.getState().status).toMatchObject({ connection: 'offline', waiting: 3 });
    const progress = { type: 'sync.progress', phase: 'first-load', table: 'tickets', rows: 10, totalRows: 40, rowsPerSecond: 5, secondsLeft: 6, done: false } as const;
    host.client.emit(progress);
    expect(store.getState().progress).toEqual(progress);

    const elsewhere = createSyncStore(createFakeHost({ 'sync.status': () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'This process does not sync' } }) }).client);
    await elsewhere.getState().load();
    expect(elsewhere.getState()).toMatchObject({ phase: 'unavailable', status: null });
  });

  it('enrols, keeping the error of a bad form under the field it names', async () => {
    const host = createFakeHost({
      'sync.enrol': (input) =>
        (input as { code: string }).code === 'WRONG'
          ? { ok: false, error: { code: 'NOT_FOUND', message: 'This enrolment code is not known', field: 'code' } }
          : ok({ ...status(), eventChosen: false }),
    });
    const store = createSyncStore(host.client);
    expect(await store.getState().enrol({ serverUrl: 'http://10.0.0.2:8080', code: 'WRONG' })).toBe(false);
    expect(store.getState().errors[syncActionKeys.enrol]).toEqual({ code: 'NOT_FOUND', message: 'This enrolment code is not known', field: 'code' });
    expect(await store.getState().enrol({ serverUrl: 'http://10.0.0.2:8080', code: 'K7Q2-9XHD' })).toBe(true);
    expect(store.getState().errors[syncActionKeys.enrol]).toBeUndefined();
    expect(store.getState().status).toEqual(status());
  });

  it('syncs now and loads the commands and alerts the Sync screen lists', async () => {
    const command = { id: 'c-1', seq: 3, command: 'checkin.scan@1', label: 'Scanned at a gate', at: '2026-07-10T12:00:00.000Z', operator: 'stranger', status: 'rejected', reason: 'stranger is not an operator of this server', conflicts: [], concerns: [{ kind: 'customer', id: 'cu-1', label: 'Anna Berg' }], customerId: 'cu-1' } as const;
    const host = createFakeHost({
      'sync.now': () => ok({ pushed: 1, applied: 0, withConflict: 0, rejected: 1, pulledRows: 0, waiting: 0, caughtUp: true }),
      'sync.commands': (input) => ok((input as { status: string }).status === 'rejected' ? { commands: [command], total: 1 } : { commands: [], total: 0 }),
      'sync.alerts': () => ok({ alerts: [], total: 0, unacknowledged: 0 }),
    });
    const store = createSyncStore(host.client);
    const held = host.hold('sync.now');
    const syncing = store.getState().syncNow();
    await held.started;
    expect(store.getState().pending[syncActionKeys.syncNow]).toBe(true);
    held.resolve(ok({ pushed: 1, applied: 0, withConflict: 0, rejected: 1, pulledRows: 0, waiting: 0, caughtUp: true }));
    expect(await syncing).toBe(true);
    expect(store.getState().lastSyncNow).toMatchObject({ rejected: 1 });
    await store.getState().loadLists();
    await settle();
    expect(store.getState().commands.rejected).toEqual({ commands: [command], total: 1 });
    expect(host.callsTo('sync.commands')).toEqual([{ status: 'pending' }, { status: 'rejected' }, { status: 'conflict' }]);
  });

  it('checks with the server, then reloads the tables that differ; a refusal stays under the action that met it', async () => {
    const tickets = { table: 'tickets', terminalRows: 60, serverRows: 60, reason: 'the same number of rows, with different contents' };
    const differing = { cursors: { '': 3 }, tables: 22, rows: 400, differing: [tickets], repaired: [] };
    const reloaded = { ...differing, differing: [], repaired: [{ table: 'tickets', reloaded: 60, removed: 0 }] };
    let refuse = false;
    const host = createFakeHost({
      'sync.check': (input) => {
        if (refuse) return { ok: false, error: { code: 'FORBIDDEN', message: 'Reloading tables from the server is not allowed for the box office role: ask an admin' } };
        return ok((input as { repair: boolean }).repair ? reloaded : differing);
      },
    });
    const store = createSyncStore(host.client);
    const held = host.hold('sync.check');
    const checking = store.getState().check(false);
    await held.started;
    expect(store.getState().pending[syncActionKeys.check]).toBe(true);
    held.resolve(ok(differing));
    expect(await checking).toBe(true);
    expect(store.getState().lastCheck).toEqual(differing);
    expect(await store.getState().check(true)).toBe(true);
    expect(store.getState().lastCheck).toEqual(reloaded);
    expect(host.callsTo('sync.check')).toEqual([{ repair: false }, { repair: true }]);

    refuse = true;
    expect(await store.getState().check(true)).toBe(false);
    expect(store.getState().errors[syncActionKeys.repair]).toMatchObject({ code: 'FORBIDDEN' });
    expect(store.getState().lastCheck).toEqual(reloaded);
    refuse = false;
    expect(await store.getState().check(false)).toBe(true);
    expect(store.getState().errors).toEqual({});
  });

  it('acknowledges an alert and lists the alerts again (who and when come from the host); a refusal stays on the alert’s row', async () => {
    const alert = { id: 'al-1', kind: 'double_admission', kindLabel: 'Double admission', message: 'Ticket T-1 was admitted twice', at: '2026-07-10T12:00:00.000Z', fromThisTerminal: false, acknowledged: false, acknowledgedAt: null, acknowledgedBy: null };
    let acknowledged = false;
    const host = createFakeHost({
      'sync.commands': () => ok({ commands: [], total: 0 }),
      'sync.alerts': () => ok({ alerts: [acknowledged ? { ...alert, acknowledged, acknowledgedAt: '2026-07-10T12:05:00.000Z', acknowledgedBy: 'Ada' } : alert], total: 1, unacknowledged: acknowledged ? 0 : 1 }),
      'alerts.acknowledge': (input) => {
        if ((input as { alertIds: string[] }).alertIds[0] !== 'al-1') return { ok: false, error: { code: 'NOT_FOUND', message: 'Alert al-2 is not on this terminal: list the alerts again', field: 'alertIds.0' } };
        acknowledged = true;
        return ok({ alerts: [{ alertId: 'al-1', acknowledgedAt: '2026-07-10T12:05:00.000Z', acknowledgedBy: 'Ada', byThisCall: true }] });
      },
    });
    const store = createSyncStore(host.client);
    await store.getState().loadLists();
    expect(host.callsTo('sync.alerts')).toEqual([{ show: 'all' }]);

    expect(await store.getState().acknowledgeAlert('al-2')).toBe(false);
    expect(store.getState().errors[acknowledgeKey('al-2')]).toMatchObject({ code: 'NOT_FOUND', field: 'alertIds.0' });
    const held = host.hold('alerts.acknowledge');
    const acknowledging = store.getState().acknowledgeAlert('al-1');
    await held.started;
    expect(store.getState().pending[acknowledgeKey('al-1')]).toBe(true);
    acknowledged = true;
    held.resolve(ok({ alerts: [{ alertId: 'al-1', acknowledgedAt: '2026-07-10T12:05:00.000Z', acknowledgedBy: 'Ada', byThisCall: true }] }));
    expect(await acknowledging).toBe(true);
    expect(store.getState().pending[acknowledgeKey('al-1')]).toBeUndefined();
    expect(store.getState().alerts).toEqual({ alerts: [{ ...alert, acknowledged: true, acknowledgedAt: '2026-07-10T12:05:00.000Z', acknowledgedBy: 'Ada' }], total: 1, unacknowledged: 0 });
  });

  it('has its own route', () => {
    expect(parseHash('#/sync')).toEqual({ screen: 'sync' });
    expect(hrefFor({ screen: 'sync' })).toBe('#/sync');
  });
});
