import { beforeAll, describe, expect, it } from 'vitest';
import { contract, operationNames } from '../api/contract.ts';
import { createCore } from '../api/core.ts';
import { auditRows, expectError, expectOk, outboxRows } from '../../test/fixtures/commands.ts';
import { mirrorDatabase, mirrorEnabled } from '../../test/fixtures/postgres-mirror.ts';
import { leakedSecrets } from '../../test/fixtures/secrets.ts';
import { createTestCore, snapshot } from '../../test/fixtures/store.ts';
import { removedOperatorMessage } from './access.ts';
import { anyone, roles, rolesFrom } from './roles.ts';

// In the pglite project, PGlite opens at the first mirrored command: on a loaded machine that took
// 29 s, past one test's 20 s timeout. Opened here, outside any test's time.
beforeAll(async () => {
  if (mirrorEnabled) await mirrorDatabase();
}, 120_000);

const forbidden = { ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } };

/** A terminal with an admin (Ada, 1111), a supervisor (Sam, 2222) and a steward (Stu, 3333); the fixture's core acts as its local admin. */
async function staffedTerminal() {
  const test = createTestCore();
  expectOk(await test.core.invoke('operators.add', { name: 'Ada', role: 'admin', pin: '1111' }));
  expectOk(await test.core.invoke('operators.add', { name: 'Sam', role: 'supervisor', pin: '2222' }));
  expectOk(await test.core.invoke('operators.add', { name: 'Stu', role: 'steward', pin: '3333' }));
  return { ...test, window: () => test.core.openSession() };
}

/** The id of the operator named `name` (operators.list, as the Operators screen has it). */
async function idOf(test: Awaited<ReturnType<typeof staffedTerminal>>, name: string): Promise<string> {
  const { operators } = expectOk(await test.core.invoke('operators.list', {}));
  const found = operators.find((operator) => operator.name === name);
  if (!found) throw new Error(`no operator ${name}`);
  return found.id;
}

const operatorAudit = (test: { store: Parameters<typeof auditRows>[0] }, operation: string) =>
  auditRows(test.store)
    .filter((row) => row.operation === operation)
    .map(({ operator, entity, entity_id, before, after }) => ({ operator, entity, entityId: entity_id, before, after }));

describe('roles declared by every operation', () => {
  it('each operation names who may call it; only sign-in and what it needs are open to anyone', () => {
    const open = operationNames.filter((name) => contract[name].roles === anyone);
    expect(open.sort()).toEqual(['operators.createFirstAdmin', 'operators.current', 'operators.signIn', 'operators.signOut']);
    for (const name of operationNames) {
      const allowed = contract[name].roles;
      if (allowed !== anyone) expect(allowed, name).toContain('admin');
    }
    expect(rolesFrom('supervisor')).toEqual(['supervisor', 'admin']);
    expect(rolesFrom('steward')).toEqual(roles);
    expect(contract['checkin.scan'].roles).toEqual(roles);
    expect(contract['orders.delete'].roles).toEqual(['supervisor', 'admin']);
    expect(contract['import.customers'].roles).toEqual(['admin']);
  });
});

describe('operators and sign-in', () => {
  it('first run: a terminal without operators works as before, then asks for its first admin, who is signed in', async () => {
    const { core, store } = createTestCore();
    const window = core.openSession();
    expect(expectOk(await window.invoke('operators.current', {}))).toEqual({ operator: null, firstRun: true });
    expectOk(await window.invoke('customers.search', { query: 'anna' }));
    expect(expectOk(await window.invoke('operators.createFirstAdmin', { name: ' Ada ', pin: '1111' }))).toEqual({
      operator: { name: 'Ada', role: 'admin' },
      firstRun: false,
    });
    expect(await core.openSession().invoke('operators.createFirstAdmin', { name: 'Eve', pin: '9999' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'name' } });
    // Now a window must sign in.
    expect(await core.openSession().invoke('customers.search', { query: 'anna' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Sign in first: this needs an operator signed in' },
    });
    expect(leakedSecrets(JSON.stringify(snapshot(store)), ['1111'])).toEqual([]);
  });

  it('adds operators with unique names, lists them without their PINs, and names the bad field', async () => {
    const test = await staffedTerminal();
    expect(await test.core.invoke('operators.add', { name: 'ada', role: 'steward', pin: '4444' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'An operator named ada exists already', field: 'name' },
    });
    const before = snapshot(test.store);
    expect(await test.core.invoke('operators.add', { name: 'Bo', role: 'manager' as 'admin', pin: '4444' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'role' } });
    expect(await test.core.invoke('operators.add', { name: '', role: 'admin', pin: '4444' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
    expect(await test.core.invoke('operators.add', { name: 'Bo', role: 'admin', pin: '12' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'pin' } });
    expect(snapshot(test.store)).toEqual(before);
    const { operators } = expectOk(await test.core.invoke('operators.list', {}));
    expect(operators.map(({ name, role }) => ({ name, role }))).toEqual([
      { name: 'Ada', role: 'admin' },
      { name: 'Sam', role: 'supervisor' },
      { name: 'Stu', role: 'steward' },
    ]);
    expect(JSON.stringify(operators)).not.toContain('scrypt');
    expect(leakedSecrets(JSON.stringify([outboxRows(test.store), auditRows(test.store)]), ['1111', '2222', '3333', 'scrypt'])).toEqual([]);
    // Operators are this terminal's own until the server sends them: nothing about them is queued to sync.
    expect(outboxRows(test.store).filter((row) => row.name.startsWith('operators.'))).toEqual([]);
  });

  it('signs a window in and out; the audit names the operator; other windows keep their own sign-in', async () => {
    const test = await staffedTerminal();
    const gate = test.window();
    const office = test.window();
    expect(expectOk(await gate.invoke('operators.signIn', { name: 'stu', pin: '3333' }))).toEqual({ operator: { name: 'Stu', role: 'steward' }, firstRun: false });
    expectOk(await office.invoke('operators.signIn', { name: 'Ada', pin: '1111' }));
    expect(expectOk(await gate.invoke('operators.current', {})).operator).toEqual({ name: 'Stu', role: 'steward' });
    expectOk(await office.invoke('station.setPin', { pin: '2468' }));
    expect(auditRows(test.store).filter((row) => row.operation.startsWith('station.')).map((row) => row.operator)).toEqual(['Ada']);
    expect(auditRows(test.store).filter((row) => row.operation === 'operators.signIn@1').map((row) => row.operator)).toEqual(['Stu', 'Ada']);
    expect(expectOk(await gate.invoke('operators.signOut', {})).operator).toBeNull();
    expect(await gate.invoke('checkin.counts', {})).toMatchObject(forbidden);
    expect(expectOk(await office.invoke('operators.current', {})).operator).toEqual({ name: 'Ada', role: 'admin' });
  });

  it('refuses a steward what their role lacks before looking at the input, even garbage', async () => {
    const test = await staffedTerminal();
    const gate = test.window();
    expectOk(await gate.invoke('operators.signIn', { name: 'Stu', pin: '3333' }));
    const before = snapshot(test.store);
    for (const name of ['customers.update', 'import.customers', 'orders.create', 'customers.search', 'operators.add', 'orders.delete'] as const) {
      for (const input of [{}, null, 'garbage', { customerId: 42 }]) {
        expect(await gate.invokeUnknown(name, input), name).toEqual({
          ok: false,
          error: { code: 'FORBIDDEN', message: expect.stringMatching(/^Not allowed for the steward role: ask an? (box office|admin|supervisor)/) },
        });
      }
    }
    expect(snapshot(test.store)).toEqual(before);
    expect(await gate.invokeUnknown('events.list', {})).toMatchObject({ ok: true });
    const supervisor = test.window();
    expectOk(await supervisor.invoke('operators.signIn', { name: 'Sam', pin: '2222' }));
    expect(await supervisor.invoke('operators.list', {})).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Not allowed for the supervisor role: ask an admin' } });
  });

  it('says the same for an unknown name and a wrong PIN, and keeps neither the PIN nor the hash', async () => {
    const test = await staffedTerminal();
    const window = test.window();
    expect(await window.invoke('operators.signIn', { name: 'Stu', pin: '7391' })).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Wrong name or PIN', field: 'pin' } });
    expect(await window.invoke('operators.signIn', { name: 'Nobody', pin: '7391' })).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Wrong name or PIN', field: 'pin' } });
    expect(expectOk(await window.invoke('operators.current', {})).operator).toBeNull();
    expect(leakedSecrets(JSON.stringify([outboxRows(test.store), auditRows(test.store)]), ['7391', '3333', 'scrypt'])).toEqual([]);
    // Sign-ins, right or wrong, are audited here and never sent.
    expect(outboxRows(test.store).filter((row) => row.name.startsWith('operators.'))).toEqual([]);
  });

  it('makes each wrong PIN after the fifth wait twice as long, per name, across restarts, before any PIN is checked', async () => {
    const test = await staffedTerminal();
    test.clock.set('2026-06-01T10:00:00.000Z');
    const attempt = (pin: string) => test.window().invoke('operators.signIn', { name: 'Stu', pin });
    for (let failure = 1; failure <= 4; failure += 1) expect(await attempt('0000')).toMatchObject({ ok: false, error: { message: 'Wrong name or PIN' } });
    expect(await attempt('0000')).toMatchObject({ ok: false, error: { message: 'Wrong name or PIN. Wait 30 s before the next try' } });
    // Blocked: even the right PIN is refused, without being checked.
    expect(await attempt('3333')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/^Too many wrong PINs: try again in \d+ s$/) } });
    test.clock.set('2026-06-01T10:01:00.000Z');
    expect(await attempt('0000')).toMatchObject({ ok: false, error: { message: 'Wrong name or PIN. Wait 60 s before the next try' } });
    test.clock.set('2026-06-01T10:03:00.000Z');
    expect(await attempt('0000')).toMatchObject({ ok: false, error: { message: 'Wrong name or PIN. Wait 2 min before the next try' } });
    // A restart (a new core on the same store) keeps the count.
    const restarted = createCore({ store: test.store, clock: test.clock }).openSession();
    expect(await restarted.invoke('operators.signIn', { name: 'Stu', pin: '3333' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Too many wrong PINs/) } });
    test.clock.set('2026-06-01T10:06:00.000Z');
    expect(expectOk(await restarted.invoke('operators.signIn', { name: 'Stu', pin: '3333' })).operator).toEqual({ name: 'Stu', role: 'steward' });
    // The right PIN cleared the count.
    expect(test.store.db.prepare('SELECT count(*) AS n FROM operator_sign_in_failures').get()).toEqual({ n: 0 });
    // Other names were never blocked.
    expect(expectOk(await test.window().invoke('operators.signIn', { name: 'Sam', pin: '2222' })).operator?.name).toBe('Sam');
  });

  it('slows one window trying many names too', async () => {
    const test = await staffedTerminal();
    test.clock.set('2026-06-01T10:00:00.000Z');
    const window = test.window();
    for (const name of ['a1', 'a2', 'a3', 'a4']) await window.invoke('operators.signIn', { name, pin: '0000' });
    expect(await window.invoke('operators.signIn', { name: 'a5', pin: '0000' })).toMatchObject({ ok: false, error: { message: 'Wrong name or PIN. Wait 30 s before the next try' } });
    expect(await window.invoke('operators.signIn', { name: 'Ada', pin: '1111' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Too many wrong PINs/) } });
  });
});

describe('a locked station (enforced in core)', () => {
  it('answers check-in and unlock, and FORBIDDEN to everything else, whoever asks', async () => {
    const test = await staffedTerminal();
    const gate = test.window();
    expectOk(await gate.invoke('operators.signIn', { name: 'Stu', pin: '3333' }));
    const admin = test.window();
    expectOk(await admin.invoke('operators.signIn', { name: 'Ada', pin: '1111' }));
    expectOk(await admin.invoke('station.setPin', { pin: '2468' }));
    expectOk(await gate.invoke('station.lock', {}));
    expect(await admin.invoke('customers.search', { query: 'x' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'This station is locked to check-in: a supervisor unlocks it with the station PIN' },
    });
    expect(await admin.invokeUnknown('customers.update', 'garbage')).toMatchObject(forbidden);
    // Check-in still runs (here: no event to check in to).
    expect(await gate.invoke('checkin.scan', { code: 'NOPE', gateId: null, direction: 'entry' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expectOk(await gate.invoke('checkin.latestVerdict', {}));
    expectOk(await gate.invoke('station.unlock', { pin: '2468' }));
    expectOk(await admin.invoke('customers.search', { query: 'x' }));
  });
});

describe('changing and removing operators (admin only)', () => {
  it("changes a role: audited, never synced, and a window signed in as them has the new role at its next call", async () => {
    const test = await staffedTerminal();
    const stuId = await idOf(test, 'Stu');
    const gate = test.window();
    expectOk(await gate.invoke('operators.signIn', { name: 'Stu', pin: '3333' }));
    expect(await gate.invoke('customers.search', { query: 'anna' })).toMatchObject(forbidden);
    const admin = test.window();
    expectOk(await admin.invoke('operators.signIn', { name: 'Ada', pin: '1111' }));

    const changed = expectOk(await admin.invoke('operators.update', { operatorId: stuId, role: 'box_office' }));
    expect(changed).toEqual({ id: stuId, name: 'Stu', role: 'box_office', createdAt: expect.any(String) });
    expect(expectOk(await test.core.invoke('operators.list', {})).operators.find((operator) => operator.id === stuId)?.role).toBe('box_office');
    expect(operatorAudit(test, 'operators.update@1')).toEqual([
      { operator: 'Ada', entity: 'operator', entityId: stuId, before: { role: 'steward' }, after: { role: 'box_office' } },
    ]);
    expect(outboxRows(test.store).filter((row) => row.name.startsWith('operators.'))).toEqual([]);

    // Stu's window did not sign in again: its next call acts with the role Stu has now.
    expectOk(await gate.invoke('customers.search', { query: 'anna' }));
    expect(expectOk(await gate.invoke('operators.current', {})).operator).toEqual({ name: 'Stu', role: 'box_office' });
    // The same role again changes nothing and writes nothing.
    const before = snapshot(test.store);
    expect(expectOk(await admin.invoke('operators.update', { operatorId: stuId, role: 'box_office' })).role).toBe('box_office');
    expect(snapshot(test.store)).toEqual(before);
  });

  it('resets a PIN: the new one signs in, the old one no longer does, the name\'s lockout is lifted; neither PIN nor hash is kept in the audit', async () => {
    const test = await staffedTerminal();
    test.clock.set('2026-06-01T10:00:00.000Z');
    const stuId = await idOf(test, 'Stu');
    for (let failure = 1; failure <= 5; failure += 1) await test.window().invoke('operators.signIn', { name: 'Stu', pin: '0000' });
    expect(await test.window().invoke('operators.signIn', { name: 'Stu', pin: '3333' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Too many wrong PINs/) } });

    expect(expectOk(await test.core.invoke('operators.update', { operatorId: stuId, pin: '482193' })).role).toBe('steward');
    expect(await test.window().invoke('operators.signIn', { name: 'Stu', pin: '3333' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Wrong name or PIN' } });
    expect(expectOk(await test.window().invoke('operators.signIn', { name: 'Stu', pin: '482193' })).operator).toEqual({ name: 'Stu', role: 'steward' });
    expect(operatorAudit(test, 'operators.update@1')).toEqual([
      { operator: 'operator-1', entity: 'operator', entityId: stuId, before: { role: 'steward' }, after: { role: 'steward', pinReset: true } },
    ]);
    expect(leakedSecrets(JSON.stringify([outboxRows(test.store), auditRows(test.store)]), ['482193', '3333', 'scrypt'])).toEqual([]);

    // A role and a PIN at once.
    expect(expectOk(await test.core.invoke('operators.update', { operatorId: stuId, role: 'supervisor', pin: '5555' })).role).toBe('supervisor');
    expect(expectOk(await test.window().invoke('operators.signIn', { name: 'Stu', pin: '5555' })).operator).toEqual({ name: 'Stu', role: 'supervisor' });
  });

  it('names the bad field and changes nothing', async () => {
    const test = await staffedTerminal();
    const stuId = await idOf(test, 'Stu');
    const before = snapshot(test.store);
    expect(expectError(await test.core.invoke('operators.update', { operatorId: stuId, role: 'manager' as 'admin' }), 'VALIDATION', 'role').message).toBe(
      'Role must be steward, box_office, supervisor or admin',
    );
    expectError(await test.core.invoke('operators.update', { operatorId: stuId, pin: '12' }), 'VALIDATION', 'pin');
    expectError(await test.core.invoke('operators.update', { operatorId: stuId, pin: '12ab' }), 'VALIDATION', 'pin');
    expectError(await test.core.invoke('operators.update', { operatorId: ' ', role: 'admin' }), 'VALIDATION', 'operatorId');
    expectError(await test.core.invokeUnknown('operators.update', { role: 'admin' }), 'VALIDATION', 'operatorId');
    expect(await test.core.invoke('operators.update', { operatorId: stuId })).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'Nothing to change: give a new role or a new PIN' },
    });
    expectError(await test.core.invoke('operators.update', { operatorId: 'no-such-id', role: 'admin' }), 'NOT_FOUND', 'operatorId');
    expectError(await test.core.invoke('operators.remove', { operatorId: '' }), 'VALIDATION', 'operatorId');
    expectError(await test.core.invokeUnknown('operators.remove', {}), 'VALIDATION', 'operatorId');
    expectError(await test.core.invoke('operators.remove', { operatorId: 'no-such-id' }), 'NOT_FOUND', 'operatorId');
    expect(snapshot(test.store)).toEqual(before);
  });

  it('refuses anyone but an admin before looking at the input', async () => {
    const test = await staffedTerminal();
    const adaId = await idOf(test, 'Ada');
    const supervisor = test.window();
    expectOk(await supervisor.invoke('operators.signIn', { name: 'Sam', pin: '2222' }));
    const steward = test.window();
    expectOk(await steward.invoke('operators.signIn', { name: 'Stu', pin: '3333' }));
    const before = snapshot(test.store);
    for (const window of [supervisor, steward]) {
      for (const [name, input] of [
        ['operators.update', { operatorId: adaId, role: 'steward' }],
        ['operators.update', 'garbage'],
        ['operators.remove', { operatorId: adaId }],
        ['operators.remove', null],
      ] as const) {
        expect(await window.invokeUnknown(name, input), name).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/: ask an admin$/) } });
      }
    }
    // Signed out, once operators exist.
    expect(await test.window().invoke('operators.remove', { operatorId: adaId })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Sign in first: this needs an operator signed in' },
    });
    expect(snapshot(test.store)).toEqual(before);
  });

  it('keeps the last admin: neither another role nor removal, until another admin exists', async () => {
    const test = await staffedTerminal();
    const [adaId, samId] = [await idOf(test, 'Ada'), await idOf(test, 'Sam')];
    const before = snapshot(test.store);
    expect(await test.core.invoke('operators.update', { operatorId: adaId, role: 'supervisor' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'Ada is the last admin: make another operator an admin before giving them another role', field: 'role' },
    });
    expect(await test.core.invoke('operators.remove', { operatorId: adaId })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'Ada is the last admin: make another operator an admin before removing them', field: 'operatorId' },
    });
    // A new PIN for the last admin is fine.
    expectOk(await test.core.invoke('operators.update', { operatorId: adaId, pin: '1212' }));
    const others = (rows: unknown[] | undefined) => (rows as { id: string }[]).filter((row) => row.id !== adaId);
    expect(others(snapshot(test.store).operators)).toEqual(others(before.operators));

    expectOk(await test.core.invoke('operators.update', { operatorId: samId, role: 'admin' }));
    expect(expectOk(await test.core.invoke('operators.update', { operatorId: adaId, role: 'box_office' })).role).toBe('box_office');
    // Sam is the last admin now.
    expectError(await test.core.invoke('operators.remove', { operatorId: samId }), 'CONFLICT', 'operatorId');
    expectError(await test.core.invoke('operators.update', { operatorId: samId, role: 'steward' }), 'CONFLICT', 'role');
  });

  it('removes an operator: a tombstone; they cannot sign in, their window is signed out, the name is free again', async () => {
    const test = await staffedTerminal();
    const stuId = await idOf(test, 'Stu');
    const gate = test.window();
    expectOk(await gate.invoke('operators.signIn', { name: 'Stu', pin: '3333' }));
    const admin = test.window();
    expectOk(await admin.invoke('operators.signIn', { name: 'Ada', pin: '1111' }));

    expect(expectOk(await admin.invoke('operators.remove', { operatorId: stuId }))).toEqual({ id: stuId, name: 'Stu' });
    const row = test.store.db.prepare('SELECT deleted_at, updated_at FROM operators WHERE id = ?').get(stuId) as { deleted_at: string | null; updated_at: string };
    expect(row.deleted_at).toEqual(row.updated_at);
    expect(expectOk(await admin.invoke('operators.list', {})).operators.map((operator) => operator.name)).toEqual(['Ada', 'Sam']);
    expect(operatorAudit(test, 'operators.remove@1')).toEqual([
      { operator: 'Ada', entity: 'operator', entityId: stuId, before: { name: 'Stu', role: 'steward' }, after: { removed: true } },
    ]);
    expect(outboxRows(test.store).filter((row) => row.name.startsWith('operators.'))).toEqual([]);

    // Stu's window: refused at its next call and signed out.
    expect(await gate.invoke('checkin.counts', {})).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: removedOperatorMessage } });
    expect(expectOk(await gate.invoke('operators.current', {})).operator).toBeNull();
    expect(await gate.invoke('checkin.counts', {})).toMatchObject(forbidden);
    // Stu cannot sign in: the same answer as any wrong name or PIN.
    expect(await test.window().invoke('operators.signIn', { name: 'Stu', pin: '3333' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Wrong name or PIN', field: 'pin' },
    });
    // Already removed: nothing to remove or change.
    expectError(await admin.invoke('operators.remove', { operatorId: stuId }), 'NOT_FOUND', 'operatorId');
    expectError(await admin.invoke('operators.update', { operatorId: stuId, role: 'admin' }), 'NOT_FOUND', 'operatorId');

    // The name is free again (unique among the operators not removed, whatever the case); the old window stays signed out.
    const again = expectOk(await admin.invoke('operators.add', { name: 'stu', role: 'box_office', pin: '7777' }));
    expect(again.id).not.toBe(stuId);
    expectError(await admin.invoke('operators.add', { name: 'STU', role: 'steward', pin: '7777' }), 'CONFLICT', 'name');
    expect(expectOk(await gate.invoke('operators.current', {})).operator).toBeNull();
    expect(expectOk(await test.window().invoke('operators.signIn', { name: 'Stu', pin: '7777' })).operator).toEqual({ name: 'stu', role: 'box_office' });
  });

  it('refuses removing yourself, so a window never signs itself out mid-task', async () => {
    const test = await staffedTerminal();
    const [adaId, samId] = [await idOf(test, 'Ada'), await idOf(test, 'Sam')];
    expectOk(await test.core.invoke('operators.update', { operatorId: samId, role: 'admin' }));
    const ada = test.window();
    expectOk(await ada.invoke('operators.signIn', { name: 'Ada', pin: '1111' }));
    expect(await ada.invoke('operators.remove', { operatorId: adaId })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'You are signed in as this operator: another admin can remove you', field: 'operatorId' },
    });
    const sam = test.window();
    expectOk(await sam.invoke('operators.signIn', { name: 'Sam', pin: '2222' }));
    expectOk(await sam.invoke('operators.remove', { operatorId: adaId }));
    expect(await ada.invoke('operators.list', {})).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: removedOperatorMessage } });
  });

  it('takes an admin demoted elsewhere off the admin operations at their next call', async () => {
    const test = await staffedTerminal();
    const [adaId, samId] = [await idOf(test, 'Ada'), await idOf(test, 'Sam')];
    const ada = test.window();
    expectOk(await ada.invoke('operators.signIn', { name: 'Ada', pin: '1111' }));
    expectOk(await ada.invoke('operators.update', { operatorId: samId, role: 'admin' }));
    const sam = test.window();
    expectOk(await sam.invoke('operators.signIn', { name: 'Sam', pin: '2222' }));
    expectOk(await sam.invoke('operators.update', { operatorId: adaId, role: 'steward' }));
    expect(await ada.invoke('operators.list', {})).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Not allowed for the steward role: ask an admin' } });
    expect(expectOk(await ada.invoke('operators.current', {})).operator).toEqual({ name: 'Ada', role: 'steward' });
  });
});
