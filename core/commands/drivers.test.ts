import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { Store } from '../../db/store.ts';
import { freshPglite } from '../../test/fixtures/server-database.ts';
import { runBodyOnPostgres } from './postgres-driver.ts';
import { query, queryTemplate } from './query-builder.ts';
import { decideBodyOnSqlite, needsItsWrites, runBodyOnSqlite, type ProjectionRefreshers } from './sqlite-driver.ts';
import { commandTx, type Body, type CommandTx } from './tx.ts';
import type { Envelope } from './envelope.ts';

/** One body, two drivers (DESIGN.md section 5): the same generator gives the same answers on SQLite and PostgreSQL. */

const server = await freshPglite();
afterAll(() => server.destroy());

const envelope = (): Envelope => ({
  id: '01939d5c-8c00-7000-8000-000000000001',
  deviceId: 'device-1',
  seq: 1,
  name: 'test.body',
  version: 1,
  args: {},
  hlc: '0000000000001:0000:device-1',
  at: '2026-06-01T10:00:00.000Z',
  operator: 'Ana',
  eventId: null,
});

const eventByName = queryTemplate((name: string) => query.selectFrom('events').select(['id', 'name', 'time_zone']).where('name', '=', name));

function* createAndCount(tx: CommandTx, names: readonly string[]) {
  for (const name of names) {
    yield* tx.run(query.insertInto('events').values({ id: tx.nextId(), name, created_at: tx.now, updated_at: tx.now, server_version: null }));
    yield* tx.audit({ entity: 'event', entityId: name, after: { name } });
  }
  const found = yield* tx.first(eventByName.with(names[0]!));
  const missing = yield* tx.first(eventByName.with('nobody'));
  const count = yield* tx.first(query.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')));
  const renamed = yield* tx.run(query.updateTable('events').set({ time_zone: 'Europe/Amsterdam' }).where('name', 'in', names));
  const all = yield* tx.all(query.selectFrom('events').select(['id', 'name', 'time_zone']).orderBy('id'));
  return { found, missing, count: count?.n, renamed: renamed.changes, all };
}

const noProjections: ProjectionRefreshers = { 'customer-search': () => {} };

async function onBoth<R>(body: (tx: CommandTx) => Body<R>) {
  const sqlite = runBodyOnSqlite(new Store(openDatabase(':memory:')), body(commandTx(envelope())), noProjections).result;
  const postgres = await server.transaction().execute((trx) => runBodyOnPostgres(trx, body(commandTx(envelope()))));
  return { sqlite, postgres };
}

describe('a command body on both drivers', () => {
  it('reads, writes, counts and audits alike, with ids derived from the envelope', async () => {
    const { sqlite, postgres } = await onBoth((tx) => createAndCount(tx, ['Festival', 'Fair']));
    expect(postgres).toEqual(sqlite);
    expect(sqlite).toMatchObject({
      found: { name: 'Festival', time_zone: 'UTC' },
      missing: undefined,
      count: 2,
      renamed: 2,
      all: [
        { id: '01939d5c-8c00-7000-8000-000000000000', name: 'Festival', time_zone: 'Europe/Amsterdam' },
        { id: '01939d5c-8c00-7000-8000-000000000001', name: 'Fair', time_zone: 'Europe/Amsterdam' },
      ],
    });
    const audit = await server.selectFrom('audit_log').select(['operation', 'operator', 'device_id', 'command_id', 'after']).orderBy('id').execute();
    expect(audit).toEqual([
      { operation: 'test.body@1', operator: 'Ana', device_id: 'device-1', command_id: envelope().id, after: '{"name":"Festival"}' },
      { operation: 'test.body@1', operator: 'Ana', device_id: 'device-1', command_id: envelope().id, after: '{"name":"Fair"}' },
    ]);
  });

  it('throws a failing step into the body, so its finally runs, and out to the caller', async () => {
    const cleanedUp: string[] = [];
    const failing = (driver: string) =>
      function* (tx: CommandTx) {
        try {
          yield* tx.run(query.insertInto('events').values({ id: 'same', name: 'A', created_at: tx.now, updated_at: tx.now, server_version: null }));
          yield* tx.run(query.insertInto('events').values({ id: 'same', name: 'B', created_at: tx.now, updated_at: tx.now, server_version: null }));
          return 'unreachable';
        } finally {
          cleanedUp.push(driver);
        }
      };
    const store = new Store(openDatabase(':memory:'));
    expect(() => runBodyOnSqlite(store, failing('sqlite')(commandTx(envelope())), noProjections)).toThrow(/UNIQUE/);
    await expect(server.transaction().execute((trx) => runBodyOnPostgres(trx, failing('postgres')(commandTx(envelope()))))).rejects.toThrow(/duplicate key/);
    expect(cleanedUp).toEqual(['sqlite', 'postgres']);
  });

  it('refreshes a projection on the terminal only', async () => {
    const refreshed: string[] = [];
    const body = function* (tx: CommandTx) {
      yield* tx.project('customer-search', 'customer-1');
      return 'done';
    };
    expect(runBodyOnSqlite(new Store(openDatabase(':memory:')), body(commandTx(envelope())), { 'customer-search': (_store, id) => refreshed.push(id) })).toEqual({
      result: 'done',
      wrote: true,
    });
    expect(await runBodyOnPostgres(server, body(commandTx(envelope())))).toBe('done');
    expect(refreshed).toEqual(['customer-1']);
  });

  it('tells the terminal whether the body changed a row, so a command that changed nothing writes no outbox row', () => {
    const store = new Store(openDatabase(':memory:'));
    const event = (id: string) => ({ id, name: id, created_at: '2026-06-01T10:00:00.000Z', updated_at: '2026-06-01T10:00:00.000Z', server_version: null });
    const wrote = (body: (tx: CommandTx) => Body<unknown>) => runBodyOnSqlite(store, body(commandTx(envelope())), noProjections).wrote;
    expect(wrote((tx) => tx.run(query.insertInto('events').values(event('a'))))).toBe(true);
    expect(wrote((tx) => tx.first(eventByName.with('a')))).toBe(false);
    expect(wrote((tx) => tx.run(query.updateTable('events').set({ name: 'b' }).where('id', '=', 'nobody')))).toBe(false);
    expect(wrote((tx) => tx.run(query.insertInto('events').values(event('a')).onConflict((oc) => oc.doNothing())))).toBe(false);
    // A write whose rows come back through RETURNING: one row per changed row.
    expect(wrote((tx) => tx.first(query.insertInto('events').values(event('c')).returning('id')))).toBe(true);
    expect(wrote((tx) => tx.all(query.insertInto('events').values(event('c')).onConflict((oc) => oc.doNothing()).returning('id')))).toBe(false);
    expect(wrote((tx) => tx.project('customer-search', 'customer-1'))).toBe(true);
  });

  it('records what a body settles in the envelope args', () => {
    const settled = envelope();
    const tx = commandTx(settled);
    tx.settle({ verdict: 'admitted' });
    expect(settled.args).toEqual({ verdict: 'admitted' });
  });
});

describe('a body decided without its writes (decideBodyOnSqlite)', () => {
  const event = (id: string) => ({ id, name: id, created_at: '2026-06-01T10:00:00.000Z', updated_at: '2026-06-01T10:00:00.000Z', server_version: null });
  const eventCount = (store: Store) => (store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

  it('answers from its reads, and writes nothing', () => {
    const store = new Store(openDatabase(':memory:'));
    store.run(query.insertInto('events').values(event('a')));
    function* decideThenRecord(tx: CommandTx) {
      const found = yield* tx.first(eventByName.with('a'));
      const written = yield* tx.run(query.insertInto('events').values(event('b')));
      yield* tx.project('customer-search', 'customer-1');
      return { found: found?.name, written };
    }
    expect(decideBodyOnSqlite(store, decideThenRecord(commandTx(envelope())))).toEqual({ found: 'a', written: { changes: 1 } });
    expect(eventCount(store)).toBe(1);
  });

  it('decides nothing when a read comes after a write, and ends the body', () => {
    const store = new Store(openDatabase(':memory:'));
    let ended = false;
    function* readsItsWrite(tx: CommandTx) {
      try {
        yield* tx.run(query.insertInto('events').values(event('a')));
        return yield* tx.first(eventByName.with('a'));
      } finally {
        ended = true;
      }
    }
    expect(decideBodyOnSqlite(store, readsItsWrite(commandTx(envelope())))).toBe(needsItsWrites);
    expect(ended).toBe(true);
    expect(eventCount(store)).toBe(0);
  });

  it('throws a failing read into the body, and refuses a read that writes', () => {
    const store = new Store(openDatabase(':memory:'));
    function* caught(tx: CommandTx) {
      try {
        return yield* tx.first(query.selectFrom('events').select('id').where('no_such_column' as 'name', '=', 'x'));
      } catch (error) {
        return (error as Error).message;
      }
    }
    expect(decideBodyOnSqlite(store, caught(commandTx(envelope())))).toMatch(/no_such_column/);
    expect(() => decideBodyOnSqlite(store, commandTx(envelope()).first(query.insertInto('events').values(event('c')).returning('id')))).toThrow(/A read step that writes/);
    expect(eventCount(store)).toBe(0);
  });
});

describe('queryTemplate', () => {
  it('compiles once per dialect and binds each call values where the markers were', () => {
    const template = queryTemplate((eventId: string, limit: number) =>
      query.selectFrom('tickets').select('id').where('event_id', '=', eventId).where('status', '=', 'valid').limit(limit),
    );
    const store = new Store(openDatabase(':memory:'));
    const sqlite = store.compile(template.with('e1', 5));
    expect(sqlite.sql).toMatch(/where "event_id" = \+\? and "status" = \+\? limit \+\?/);
    expect(sqlite.parameters).toEqual(['e1', 'valid', 5]);
    expect(store.compile(template.with('e2', 9)).parameters).toEqual(['e2', 'valid', 9]);
  });

  it("writes SQLite's compared and LIMIT parameters behind a unary plus, which finds the same rows", () => {
    const store = new Store(openDatabase(':memory:'));
    const at = '2026-06-01T10:00:00.000Z';
    for (const [id, name, version] of [
      ['e1', 'Festival', 3],
      ['e2', 'Fair', null],
      ['e3', 'Fête', 3],
    ] as const) {
      store.run(query.insertInto('events').values({ id, name, created_at: at, updated_at: at, server_version: version }));
    }
    const byName = query.selectFrom('events').select('id').where('name', '=', 'Fête').where('server_version', '=', 3);
    expect(byName.compile().sql).toBe('select "id" from "events" where "name" = +? and "server_version" = +?');
    expect(store.all(byName)).toEqual([{ id: 'e3' }]);
    // A number compared with a text column, and a text with an integer column: the affinities apply as without the plus.
    expect(store.all(query.selectFrom('events').select('id').where('server_version', '=', '3' as unknown as number).orderBy('id'))).toEqual([{ id: 'e1' }, { id: 'e3' }]);
    expect(store.all(query.selectFrom('events').select('id').where('server_version', 'is', null))).toEqual([{ id: 'e2' }]);
    const page = query.selectFrom('events').select('id').orderBy('id').limit(1).offset(1);
    expect(page.compile().sql).toMatch(/limit \+\? offset \+\?$/);
    expect(store.all(page)).toEqual([{ id: 'e2' }]);
    // Only comparisons whose parameter SQLite's planner reads: the rest keep their plain parameter.
    expect(query.selectFrom('events').select('id').where('name', '!=', 'x').where('id', 'in', ['a', 'b']).compile().sql).toBe(
      'select "id" from "events" where "name" != ? and "id" in (?, ?)',
    );
  });

  it('refuses a template that does not place an argument as a value', () => {
    const template = queryTemplate((_unused: string) => query.selectFrom('events').select('id'));
    const store = new Store(openDatabase(':memory:'));
    expect(() => store.compile(template.with('x'))).toThrow(/every argument must be placed/);
  });
});
