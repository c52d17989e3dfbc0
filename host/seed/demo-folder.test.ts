import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost } from '../host.ts';
import { demoSize, ensureDemoFolder } from './demo-folder.ts';

const temp = mkdtempSync(join(tmpdir(), 'box-office-demo-folder-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function inFolder<T>(dataDir: string, read: (host: ReturnType<typeof createHost>) => T): T {
  const host = createHost({ dataDir, logLevel: 'silent' });
  try {
    return read(host);
  } finally {
    host.close();
  }
}

const count = (dataDir: string, table: string) => inFolder(dataDir, (host) => host.store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);

describe('ensureDemoFolder', () => {
  const dataDir = join(temp, 'Box Office Demo');

  it('seeds an empty demo folder with the festival on today', async () => {
    expect(ensureDemoFolder(dataDir, new Date('2026-12-06T09:00:00.000Z'))).toEqual({ state: 'seeded', firstDay: '2026-12-05' });
    expect(count(dataDir, 'customers')).toBe(demoSize.customers);
    const overview = await inFolder(dataDir, (host) => host.core.invoke('events.dataFolder', {}));
    expect(overview).toEqual({ ok: true, value: { demo: true, empty: false, events: 1 } });
  });

  it('keeps the demo, with what was done in it, on the same day', () => {
    inFolder(dataDir, (host) => host.store.db.prepare("UPDATE customers SET first_name = 'Kept' WHERE rowid = 1").run());
    expect(ensureDemoFolder(dataDir, new Date('2026-12-06T22:00:00.000Z'))).toEqual({ state: 'current', firstDay: '2026-12-05' });
    expect(inFolder(dataDir, (host) => host.store.db.prepare('SELECT first_name FROM customers WHERE rowid = 1').pluck().get())).toBe('Kept');
  });

  it('places the demo around today again on a later day', () => {
    expect(ensureDemoFolder(dataDir, new Date('2026-12-20T08:00:00.000Z'))).toEqual({ state: 'replaced', firstDay: '2026-12-19' });
    expect(count(dataDir, 'customers')).toBe(demoSize.customers);
    expect(inFolder(dataDir, (host) => host.store.db.prepare('SELECT starts_at FROM events').pluck().get())).toBe('2026-12-19T10:00:00.000Z');
  });

  it('never touches a folder that holds anything but the demo', () => {
    const real = join(temp, 'real');
    inFolder(real, (host) =>
      host.store.db
        .prepare("INSERT INTO events (id, name, starts_at, ends_at, time_zone, currency, created_at, updated_at) VALUES ('e1', 'Real', NULL, NULL, 'UTC', 'EUR', 'now', 'now')")
        .run(),
    );
    expect(ensureDemoFolder(real, new Date('2026-12-06T09:00:00.000Z'))).toEqual({ state: 'not-a-demo', firstDay: undefined });
    expect(count(real, 'events')).toBe(1);
    expect(count(real, 'customers')).toBe(0);
  });
});
