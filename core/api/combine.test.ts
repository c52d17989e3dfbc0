import { readdirSync } from 'node:fs';
import { join } from 'node:path';
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

  it('define each prefix in one contract + handlers file pair, in the folder named for it', async () => {
    // `tags.*` all in core/tags/tags.contract.ts and core/tags/tags.handlers.ts (DESIGN.md section 11);
    // a camelCase prefix's folder is its kebab-case: `webUsers.*` in core/web-users.
    const folderOf = (prefix: string) => prefix.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    const coreDir = fileURLToPath(new URL('..', import.meta.url));
    const files = readdirSync(coreDir, { recursive: true, encoding: 'utf8' }).filter((file) => /\.(contract|handlers)\.ts$/.test(file));
    const modules = await Promise.all(files.map(async (file) => ({ file, exports: (await import(join(coreDir, file))) as Record<string, unknown> })));
    const homesOf = (name: string, kind: 'contract' | 'handlers') =>
      modules
        .filter(({ file, exports }) => file.endsWith(`.${kind}.ts`) && Object.values(exports).some((value) => typeof value === 'object' && value !== null && Object.hasOwn(value, name)))
        .map(({ file }) => file);
    for (const name of operationNames) {
      const folder = folderOf(name.split('.')[0] ?? '');
      expect(homesOf(name, 'contract'), name).toEqual([join(folder, `${folder}.contract.ts`)]);
      expect(homesOf(name, 'handlers'), name).toEqual([join(folder, `${folder}.handlers.ts`)]);
    }
  });
});
