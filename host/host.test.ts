import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { steppingClock } from '../test/fixtures/store.ts';
import { dailyLogStream, logFileFor } from './daily-log.ts';
import { createHost } from './host.ts';
import { seedSyntheticEvent } from './seed/synthetic-event.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'box-office-host-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createHost', () => {
  it('opens the store in the data folder, creating it, and logs to the day file', async () => {
    const dataDir = join(dir, 'new folder');
    const host = createHost({ dataDir, caller: { name: 'operator-7', role: 'admin' }, clock: steppingClock('2026-07-10T08:00:00.000Z', 0) });
    expect(host.dataDir).toBe(dataDir);
    expect(existsSync(join(dataDir, 'box-office.sqlite'))).toBe(true);
    expect(host.logFile()).toBe(join(dataDir, 'logs', 'box-office-2026-07-10.log'));
    const events = await host.core.invoke('events.list', {});
    expect(events).toEqual({ ok: true, value: { events: [], chosenEventId: null } });
    expect(host.core.context.operator).toBe('operator-7');
    host.close();
    const lines = readFileSync(join(dataDir, 'logs', 'box-office-2026-07-10.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.msg)).toEqual(['store opened', 'store closed']);
    expect(lines[0]).toMatchObject({ level: 30, time: '2026-07-10T08:00:00.000Z' });
  });

  it('logs an internal error with its stack, and returns only INTERNAL to the caller', async () => {
    const host = createHost({ dataDir: dir });
    // A closed connection makes every handler throw a non-domain error: a stand-in for a bug.
    host.store.db.close();
    const result = await host.core.invoke('events.list', {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('INTERNAL');
    expect(JSON.stringify(result)).not.toMatch(/stack|at .*\.ts/);
    const log = readFileSync(host.logFile(), 'utf8');
    const entry = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .find((line) => line.msg === 'internal error');
    expect(entry).toMatchObject({ level: 50, operation: 'events.list' });
    expect(entry.err.stack).toContain('at ');
  });

  it('keeps personal data out of the log at info level', async () => {
    const host = createHost({ dataDir: dir });
    seedSyntheticEvent(host.store, { customers: 50, tickets: 60, tags: 40, seed: 2 });
    const customer = host.store.db.prepare('SELECT id, email, last_name FROM customers WHERE email IS NOT NULL LIMIT 1').get() as {
      id: string;
      email: string;
      last_name: string;
    };
    await host.core.invoke('customers.search', { query: customer.email });
    await host.core.invoke('customers.card', { customerId: customer.id });
    await host.core.invoke('customers.resolve', { key: 'nobody@example.com' });
    host.close();
    const log = readFileSync(logFileFor(dir, new Date()), 'utf8');
    expect(log).not.toContain(customer.email);
    expect(log).not.toContain(customer.last_name);
    expect(log).not.toContain('nobody@example.com');
  });

  it('logs each operation with its outcome at debug level, still without its input', async () => {
    const host = createHost({ dataDir: dir, logLevel: 'debug' });
    await host.core.invoke('customers.resolve', { key: 'someone@example.com' });
    host.close();
    const log = readFileSync(logFileFor(dir, new Date()), 'utf8');
    const entry = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .find((line) => line.msg === 'operation');
    expect(entry).toMatchObject({ level: 20, operation: 'customers.resolve', outcome: 'NOT_FOUND' });
    expect(log).not.toContain('someone@example.com');
  });
});

describe('dailyLogStream', () => {
  it('moves to a new file when the date changes', () => {
    const clock = steppingClock('2026-07-10T23:59:59.000Z', 0);
    const stream = dailyLogStream(dir, clock);
    stream.write('{"msg":"first"}\n');
    clock.set('2026-07-11T00:00:01.000Z');
    stream.write('{"msg":"second"}\n');
    stream.close();
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['box-office-2026-07-10.log', 'box-office-2026-07-11.log']);
    expect(readFileSync(join(dir, 'logs', 'box-office-2026-07-11.log'), 'utf8')).toBe('{"msg":"second"}\n');
  });
});
