import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { combine } from './combine.ts';
import { operationNames } from './contract.ts';
import { handlers } from './handlers.ts';

describe('combine', () => {
  it('merges maps into one holding every name of each', () => {
    const merged = combine({ 'tags.list': 1 }, { 'events.list': 2, 'events.show': 3 });
    expect(merged).toEqual({ 'tags.list': 1, 'events.list': 2, 'events.show': 3 });
  });

  it('throws on a name two maps define, naming it', () => {
    expect(() => combine({ 'tags.list': 1 }, { 'tags.list': 2 })).toThrow('Operation tags.list is defined twice');
  });
});

describe('the contract and its handlers', () => {
  it('have the same operation names', () => {
    expect(Object.keys(handlers).sort()).toEqual([...operationNames].sort());
  });

  it('define each prefix in the folder named for it, in one contract file', async () => {
    // `tags.*` all in core/tags, `events.*` all in core/events (DESIGN.md section 11): checked for
    // the prefixes whose folder carries their name.
    const folderOf: Record<string, string> = { tags: 'tags', tickets: 'tickets', events: 'events', checkin: 'checkin', orders: 'orders', operators: 'operators', station: 'station' };
    const coreDir = fileURLToPath(new URL('..', import.meta.url));
    const files = readdirSync(coreDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.contract.ts'));
    const modules = await Promise.all(files.map(async (file) => ({ folder: dirname(file), exports: (await import(join(coreDir, file))) as Record<string, unknown> })));
    for (const name of operationNames) {
      const folder = folderOf[name.split('.')[0] ?? ''];
      if (folder === undefined) continue;
      const homes = modules.filter(({ exports }) => Object.values(exports).some((value) => typeof value === 'object' && value !== null && Object.hasOwn(value, name)));
      expect(homes.map((home) => home.folder), name).toEqual([folder]);
    }
  });
});
