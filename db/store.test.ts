import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from './connection.ts';
import { preparedQuery, sql, Store } from './store.ts';
import { WriteTurns } from './write-turns.ts';

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

describe('a store sharing write turns', () => {
  /** A store on a fresh database that takes the turn as the foreground writer, and the turn's takes and gives. */
  function storeWithTurns() {
    const store = new Store(openDatabase(':memory:'));
    const turns = new WriteTurns();
    store.shareWriteTurns(turns, 'foreground');
    return { store, turns, take: vi.spyOn(turns, 'take'), give: vi.spyOn(turns, 'give') };
  }
  /** Whether the turn is free: a background writer that waits no time gets it. */
  const free = (turns: WriteTurns) => {
    const probe = new WriteTurns(turns.buffer, { waitLimitMs: 0 });
    if (!probe.take('background')) return false;
    probe.give();
    return true;
  };
  const keys = (store: Store) => store.all(sql.selectFrom('terminal_state').select('key').orderBy('key')).map((row) => row.key);

  it('rolls back and gives the turn back when the work throws', () => {
    const { store, turns, take, give } = storeWithTurns();
    expect(() =>
      store.immediateTransaction(() => {
        store.run(sql.insertInto('terminal_state').values({ key: 'half-done', value: '1' }));
        throw new Error('refused halfway');
      }),
    ).toThrow('refused halfway');

    expect(keys(store)).toEqual([]);
    expect(store.db.inTransaction).toBe(false);
    expect([take.mock.calls.length, give.mock.calls.length]).toEqual([1, 1]);
    expect(free(turns)).toBe(true);
    store.close();
  });

  it('takes the turn once for a transaction and the savepoints inside it', () => {
    const { store, turns, take, give } = storeWithTurns();
    store.immediateTransaction(() => {
      store.run(sql.insertInto('terminal_state').values({ key: 'outer', value: '1' }));
      expect(free(turns)).toBe(false);
      expect(() =>
        store.immediateTransaction(() => {
          store.run(sql.insertInto('terminal_state').values({ key: 'inner', value: '1' }));
          throw new Error('inner refused');
        }),
      ).toThrow('inner refused');
      store.immediateTransaction(() => store.run(sql.insertInto('terminal_state').values({ key: 'inner-kept', value: '1' })));
    });

    expect(keys(store)).toEqual(['inner-kept', 'outer']);
    expect([take.mock.calls.length, give.mock.calls.length]).toEqual([1, 1]);
    expect(free(turns)).toBe(true);
    store.close();
  });
});

describe('writes a store owes (oweWrites)', () => {
  const keys = (store: Store) => store.all(sql.selectFrom('terminal_state').select('key').orderBy('key')).map((row) => row.key);
  /** Owes one row per key given, written when the store next writes. */
  function owing(store: Store) {
    const owed: string[] = [];
    const commits: string[][] = [];
    let recording: string[] = [];
    store.oweWrites({
      get owed() {
        return owed.length > 0;
      },
      record() {
        recording = owed.splice(0);
        for (const key of recording) store.run(sql.insertInto('terminal_state').values({ key, value: 'owed' }));
        expect(store.db.inTransaction).toBe(true);
      },
      committed() {
        commits.push(recording);
      },
    });
    return { owe: (key: string) => owed.push(key), commits };
  }

  it('records them before the next write, in a transaction of their own that a failing write does not undo', () => {
    const store = new Store(openDatabase(':memory:'));
    const turns = new WriteTurns();
    store.shareWriteTurns(turns, 'foreground');
    const { owe, commits } = owing(store);
    owe('scan-1');
    owe('scan-2');
    expect(() =>
      store.immediateTransaction(() => {
        store.run(sql.insertInto('terminal_state').values({ key: 'edit', value: '1' }));
        throw new Error('the edit is refused');
      }),
    ).toThrow('the edit is refused');

    expect(keys(store)).toEqual(['scan-1', 'scan-2']);
    expect(commits).toEqual([['scan-1', 'scan-2']]);
    store.immediateTransaction(() => store.run(sql.insertInto('terminal_state').values({ key: 'edit', value: '1' })));
    expect(commits).toHaveLength(1);
    expect(turns.foregroundWaiting()).toBe(0);
    store.close();
  });

  it('records them on their own (recordOwedWrites), with or without write turns', () => {
    const store = new Store(openDatabase(':memory:'));
    const { owe, commits } = owing(store);
    owe('scan-1');
    store.recordOwedWrites();
    expect(keys(store)).toEqual(['scan-1']);
    expect(commits).toEqual([['scan-1']]);
    store.close();
  });
});
