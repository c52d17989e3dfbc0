import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';
import { preparedQuery, sql, Store } from './store.ts';

describe('preparedQuery', () => {
  const store = new Store(openDatabase(':memory:'));
  store.run(sql.insertInto('terminal_state').values([
    { key: 'a', value: '1' },
    { key: 'b', value: '2' },
    { key: 'c', value: '3' },
  ]));

  it('compiles once and binds each call\'s arguments where they belong, keeping constants', () => {
    const between = preparedQuery((low: string, high: string) =>
      sql.selectFrom('terminal_state').select('key').where('key', '>=', low).where('key', '<=', high).where('value', '!=', '9').orderBy('key'),
    );
    expect(between.all(store, 'a', 'b').map((row) => row.key)).toEqual(['a', 'b']);
    expect(between.all(store, 'b', 'c').map((row) => row.key)).toEqual(['b', 'c']);
    expect(between.first(store, 'c', 'z')).toEqual({ key: 'c' });
    expect(between.first(store, 'x', 'z')).toBeUndefined();
  });

  it('refuses a builder that does not place an argument as a value', () => {
    const broken = preparedQuery((_unused: string) => sql.selectFrom('terminal_state').select('key'));
    expect(() => broken.all(store, 'a')).toThrow(/every argument/);
  });
});
