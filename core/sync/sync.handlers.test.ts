import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { Store } from '../../db/store.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { steppingClock } from '../../test/fixtures/store.ts';
import { createCore } from '../api/core.ts';
import type { CoreEvent } from '../api/pubsub.ts';
import type { CheckSummary, SyncCheckInput, SyncEnrolInput, SyncStatusView } from './sync.contract.ts';
import type { TerminalSync } from './terminal-sync.ts';

/**
 * The sync.* operations over the host's sync (a fake here): who may call what (DESIGN.md 6a),
 * bad input refused before the sync is asked, and a process without a sync saying so.
 */

const notEnrolled: SyncStatusView = {
  enrolled: false,
  serverUrl: null,
  deviceName: null,
  deviceId: 'device-1',
  role: null,
  shortCode: 'K3',
  eventId: null,
  eventName: null,
  enrolledAt: null,
  hasToken: false,
  running: true,
  connection: 'not_enrolled',
  syncing: false,
  waiting: 2,
  rejected: 0,
  withConflict: 0,
  alerts: 0,
  lastSyncAt: null,
  problem: null,
  retryAt: null,
  clockOffsetMs: 0,
};

const checked: CheckSummary = {
  cursors: { '': 3, 'event-1': 41 },
  tables: 22,
  rows: 2_500_011,
  differing: [{ table: 'tickets', terminalRows: 60, serverRows: 60, reason: 'the same number of rows, with different contents' }],
  repaired: [],
};

function fakeSync() {
  const enrolments: SyncEnrolInput[] = [];
  const checks: SyncCheckInput[] = [];
  const listeners = new Set<(event: CoreEvent) => void>();
  const sync: TerminalSync = {
    status: () => notEnrolled,
    async enrol(input) {
      enrolments.push(input);
      return { ...notEnrolled, enrolled: true, serverUrl: input.serverUrl, deviceName: input.name ?? null, role: 'gate', connection: 'unknown' };
    },
    syncNow: async () => ({ pushed: 2, applied: 2, withConflict: 0, rejected: 0, pulledRows: 0, waiting: 0, caughtUp: true }),
    async check(input) {
      checks.push(input);
      return checked;
    },
    commands: () => ({ commands: [], total: 0 }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { sync, enrolments, checks, emit: (event: CoreEvent) => listeners.forEach((listener) => listener(event)) };
}

async function signedIn() {
  const store = new Store(openDatabase(':memory:'));
  const fake = fakeSync();
  const core = createCore({ store, clock: steppingClock(), caller: { name: 'admin-1', role: 'admin' }, sync: fake.sync });
  for (const [name, role, pin] of [
    ['Stu', 'steward', '3333'],
    ['Bo', 'box_office', '4444'],
    ['Sue', 'supervisor', '5555'],
  ] as const) {
    expectOk(await core.invoke('operators.add', { name, role, pin }));
  }
  const as = async (name: string, pin: string) => {
    const session = core.openSession();
    expectOk(await session.invoke('operators.signIn', { name, pin }));
    return session;
  };
  return { core, fake, steward: await as('Stu', '3333'), boxOffice: await as('Bo', '4444'), supervisor: await as('Sue', '5555') };
}

describe('sync operations', () => {
  it('show the status and sync on request for every role, list commands from box office up and enrol for admins only', async () => {
    const { steward, boxOffice, core } = await signedIn();
    expect(expectOk(await steward.invoke('sync.status', {}))).toMatchObject({ waiting: 2, connection: 'not_enrolled' });
    expect(expectOk(await steward.invoke('sync.now', {}))).toMatchObject({ pushed: 2 });
    expect(await steward.invoke('sync.commands', { status: 'rejected' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await steward.invoke('sync.alerts', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(expectOk(await boxOffice.invoke('sync.commands', { status: 'pending' }))).toEqual({ commands: [], total: 0 });
    expect(await boxOffice.invoke('sync.enrol', { serverUrl: 'http://10.0.0.2:8080', code: 'ABCD' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(expectOk(await core.invoke('sync.enrol', { serverUrl: 'http://10.0.0.2:8080/', code: ' ABCD ', name: '' }))).toMatchObject({
      enrolled: true,
      serverUrl: 'http://10.0.0.2:8080',
      deviceName: null,
      eventChosen: false,
    });
  });

  it('checks with the server from box office up, and reloads tables only for the roles that may enrol', async () => {
    const { steward, boxOffice, supervisor, core, fake } = await signedIn();
    expect(await steward.invoke('sync.check', {})).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Not allowed for the steward role: ask a box office or an admin' } });
    expect(expectOk(await boxOffice.invoke('sync.check', {}))).toEqual(checked);
    expect(fake.checks).toEqual([{ repair: false }]);
    for (const session of [boxOffice, supervisor]) {
      const refused = await session.invoke('sync.check', { repair: true });
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(refused.ok ? '' : refused.error.message).toMatch(/^Reloading tables from the server is not allowed for the (box office|supervisor) role: ask an admin$/);
    }
    expect(fake.checks).toEqual([{ repair: false }]);
    expect(expectOk(await core.invoke('sync.check', { repair: true }))).toEqual(checked);
    expect(expectOk(await supervisor.invoke('sync.check', { repair: false }))).toEqual(checked);
    expect(fake.checks).toEqual([{ repair: false }, { repair: true }, { repair: false }]);
  });

  it('refuses a check whose repair is not true or false, naming the field, before the sync is asked', async () => {
    const { core, fake } = await signedIn();
    expect(await core.invoke('sync.check', { repair: 'yes' as never })).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'Repair is true or false', field: 'repair' } });
    expect(fake.checks).toEqual([]);
  });

  it('refuses a bad enrolment form naming the field, before the server is asked', async () => {
    const { core, fake } = await signedIn();
    expect(await core.invoke('sync.enrol', { serverUrl: 'ftp://10.0.0.2', code: 'ABCD' })).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'The server address is a URL such as http://192.168.1.10:8080', field: 'serverUrl' },
    });
    expect(await core.invoke('sync.enrol', { serverUrl: 'http://10.0.0.2:8080', code: '  ' })).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'Enter the enrolment code', field: 'code' },
    });
    expect(await core.invoke('sync.commands', { status: 'lost' as never })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'status' } });
    expect(fake.enrolments).toEqual([]);
  });

  it('gives the sync status and progress to every signed-in operator and nothing to a signed-out window', async () => {
    const { core, fake, steward } = await signedIn();
    const seen: string[] = [];
    const signedOut: string[] = [];
    steward.subscribe((event) => seen.push(event.type));
    core.openSession().subscribe((event) => signedOut.push(event.type));
    fake.emit({ type: 'sync.status', status: notEnrolled });
    fake.emit({ type: 'sync.progress', phase: 'first-load', table: 'tickets', rows: 10, totalRows: 100, rowsPerSecond: 5, secondsLeft: 18, done: false });
    expect(seen).toEqual(['sync.status', 'sync.progress']);
    expect(signedOut).toEqual([]);
  });

  it('says where sync runs when this process has none', async () => {
    const core = createCore({ store: new Store(openDatabase(':memory:')), caller: { name: 'admin-1', role: 'admin' } });
    expect(await core.invoke('sync.status', {})).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'This process does not sync: the desktop app and `box-office serve` do (or `box-office sync now` by hand)' },
    });
  });
});
