import { describe, expect, it } from 'vitest';
import { leakedSecrets } from '../../test/fixtures/secrets.ts';
import { createTestCore, snapshot } from '../../test/fixtures/store.ts';

async function lockedStation() {
  const test = createTestCore();
  const set = await test.core.invoke('station.setPin', { pin: '2468' });
  if (!set.ok) throw new Error(set.error.message);
  const locked = await test.core.invoke('station.lock', {});
  if (!locked.ok) throw new Error(locked.error.message);
  return test;
}

function expectUnlocked(result: Awaited<ReturnType<ReturnType<typeof createTestCore>['core']['invoke']>>) {
  expect(result).toMatchObject({ ok: true, value: { locked: false } });
}

const terminalState = (test: ReturnType<typeof createTestCore>) =>
  test.store.db.prepare("SELECT key, value FROM terminal_state WHERE key LIKE 'station.%' ORDER BY key").all() as { key: string; value: string }[];

describe('station lock', () => {
  it('starts unlocked with no PIN', async () => {
    const { core } = createTestCore();
    expect(await core.invoke('station.status', {})).toEqual({
      ok: true,
      value: { pinSet: false, locked: false, lockedAt: null, lockoutUntil: null, failedAttempts: 0, maxAttempts: 5, lockoutSeconds: 30 },
    });
  });

  it('sets a PIN, locks, stays locked on a wrong PIN and unlocks with the right one', async () => {
    const test = await lockedStation();
    const status = await test.core.invoke('station.status', {});
    expect(status).toMatchObject({ ok: true, value: { pinSet: true, locked: true } });
    expect(status.ok && status.value.lockedAt).toMatch(/^2026-06-01T10:00:\d\d\.000Z$/);

    expect(await test.core.invoke('station.unlock', { pin: '1111' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Wrong PIN (4 tries left before a 30 s lockout)', field: 'pin' },
    });
    expect(await test.core.invoke('station.status', {})).toMatchObject({ ok: true, value: { locked: true, failedAttempts: 1 } });

    expect(await test.core.invoke('station.unlock', { pin: '2468' })).toMatchObject({ ok: true, value: { locked: false, lockedAt: null, failedAttempts: 0 } });
    // Locking twice is harmless; locking again after an unlock works.
    await test.core.invoke('station.lock', {});
    expect(await test.core.invoke('station.lock', {})).toMatchObject({ ok: true, value: { locked: true } });
  });

  it('keeps the station commands out of the outbox, the PIN and its hash out of the audit log, and stores only a salted hash', async () => {
    const test = await lockedStation();
    await test.core.invoke('station.unlock', { pin: '9999' });
    await test.core.invoke('station.unlock', { pin: '2468' });
    // Local commands: validated and audited, never sent (DESIGN.md section 5).
    expect(test.store.db.prepare('SELECT name FROM outbox').all()).toEqual([]);
    expect(test.store.db.prepare("SELECT operation FROM audit_log ORDER BY id").all()).toEqual([
      { operation: 'station.setPin@1' },
      { operation: 'station.lock@1' },
      { operation: 'station.pinRefused@1' },
      { operation: 'station.unlock@1' },
    ]);
    const hash = terminalState(test).find((row) => row.key === 'station.pin_hash')?.value ?? '';
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const audit = JSON.stringify(test.store.db.prepare('SELECT * FROM audit_log').all());
    expect(leakedSecrets(audit, ['2468'])).toEqual([]);
    expect(audit).not.toContain(hash.split('$')[5]);
    expect(test.store.db.prepare("SELECT DISTINCT entity FROM audit_log").all()).toEqual([{ entity: 'station' }]);
  });

  it('blocks PIN entry for 30 s after five wrong PINs, even the right PIN, doubles the block with each further wrong PIN, then accepts the right one', async () => {
    const test = await lockedStation();
    for (let attempt = 1; attempt <= 4; attempt += 1) await test.core.invoke('station.unlock', { pin: '0000' });
    const fifth = await test.core.invoke('station.unlock', { pin: '0000' });
    expect(fifth).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Wrong PIN. Too many wrong PINs: PIN entry is blocked for 30 s', field: 'pin' } });

    const blocked = await test.core.invoke('station.unlock', { pin: '2468' });
    expect(blocked.ok).toBe(false);
    expect(!blocked.ok && blocked.error).toMatchObject({ code: 'FORBIDDEN', field: 'pin' });
    expect(!blocked.ok && blocked.error.message).toMatch(/^Too many wrong PINs: try again in \d+ s$/);
    expect(await test.core.invoke('station.status', {})).toMatchObject({ ok: true, value: { locked: true, lockoutUntil: expect.any(String) } });

    test.clock.set('2026-06-01T10:05:00.000Z');
    expect(await test.core.invoke('station.status', {})).toMatchObject({ ok: true, value: { lockoutUntil: null, failedAttempts: 5, lockoutSeconds: 60 } });
    // Not 5 tries every 30 s for ever: the sixth wrong PIN blocks for a minute, the seventh for two.
    expect(await test.core.invoke('station.unlock', { pin: '0000' })).toMatchObject({ ok: false, error: { message: 'Wrong PIN. Too many wrong PINs: PIN entry is blocked for 60 s' } });
    test.clock.set('2026-06-01T10:07:00.000Z');
    expect(await test.core.invoke('station.unlock', { pin: '0000' })).toMatchObject({ ok: false, error: { message: 'Wrong PIN. Too many wrong PINs: PIN entry is blocked for 2 min' } });
    test.clock.set('2026-06-01T10:10:00.000Z');
    expect(await test.core.invoke('station.unlock', { pin: '2468' })).toMatchObject({ ok: true, value: { locked: false, failedAttempts: 0 } });
  });

  it('changes the PIN only with the current one, and not while locked (core answers a locked station only check-in and unlock)', async () => {
    const test = await lockedStation();
    expect(await test.core.invoke('station.setPin', { pin: '1357', currentPin: '2468' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'This station is locked to check-in: a supervisor unlocks it with the station PIN' },
    });
    expectUnlocked(await test.core.invoke('station.unlock', { pin: '2468' }));
    expect(await test.core.invoke('station.setPin', { pin: '1357' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Enter the current supervisor PIN to change it', field: 'currentPin' },
    });
    expect(await test.core.invoke('station.setPin', { pin: '1357', currentPin: '1111' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'currentPin' } });
    expect(await test.core.invoke('station.setPin', { pin: '1357', currentPin: '2468' })).toMatchObject({ ok: true, value: { pinSet: true, locked: false, failedAttempts: 0 } });
    await test.core.invoke('station.lock', {});
    expect(await test.core.invoke('station.unlock', { pin: '2468' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await test.core.invoke('station.unlock', { pin: '1357' })).toMatchObject({ ok: true, value: { locked: false } });
  });

  it('refuses bad input and a lock without a PIN, changing nothing', async () => {
    const test = createTestCore();
    const before = snapshot(test.store);
    expect(await test.core.invoke('station.lock', {})).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'Set a supervisor PIN before locking this station: nobody could unlock it', field: 'pin' },
    });
    expect(await test.core.invoke('station.unlock', { pin: '1234' })).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'No supervisor PIN is set on this station', field: 'pin' } });
    for (const pin of ['12', '12ab', '1234567890123', ' 1234', '']) {
      const result = await test.core.invoke('station.setPin', { pin });
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'pin' } });
    }
    expect(await test.core.invoke('station.unlock', {} as { pin: string })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'pin' } });
    expect(snapshot(test.store)).toEqual(before);
  });
});
