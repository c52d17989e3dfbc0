import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, serverStoreKinds, type ServerStoreKind } from '../../../test/fixtures/server-database.ts';
import { PgliteDialect } from '../pglite-dialect.ts';
import { latestPostgresVersion, migratePostgres, migrationName, postgresMigrations } from './index.ts';

/**
 * The server's migrations (DESIGN.md section 10): from an empty database to the newest, and from
 * the previous version with its rows in place, on PostgreSQL and on PGlite.
 */

type Row = Record<string, unknown>;

interface EmptyStore {
  db: Kysely<Record<string, Row>>;
  /** A second connection pool on the same database (PostgreSQL only: PGlite is one process's). */
  another?: () => Kysely<Record<string, Row>>;
  drop(): Promise<void>;
}

/** A store no migration has touched. */
async function emptyStore(kind: ServerStoreKind): Promise<EmptyStore> {
  if (kind === 'pglite') {
    const db = new Kysely<Record<string, Row>>({ dialect: new PgliteDialect(await PGlite.create()) });
    return { db, drop: () => db.destroy() };
  }
  const database = await freshPostgresDatabase();
  const open = () => new Kysely<Record<string, Row>>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }) });
  const opened: Kysely<Record<string, Row>>[] = [];
  const db = open();
  return {
    db,
    another: () => {
      const next = open();
      opened.push(next);
      return next;
    },
    async drop() {
      await Promise.all([db, ...opened].map((each) => each.destroy()));
      await database.drop();
    },
  };
}

const appliedNames = async (db: Kysely<Record<string, Row>>) =>
  (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((row) => row.name);

const tableNames = async (db: Kysely<Record<string, Row>>) =>
  (await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`.execute(db)).rows.map((row) => row.name);

const at = '2026-05-01T10:00:00.000Z';

// Each test opens a new PGlite (seconds, several on a loaded machine): a bound, not a timing goal.
describe.each(serverStoreKinds)('server migrations on %s', { timeout: 60_000 }, (kind) => {
  let store: EmptyStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('migrate an empty database to the newest version, once however often they run', async () => {
    store = await emptyStore(kind);
    expect(await migratePostgres(store.db)).toBe(latestPostgresVersion);
    expect(await appliedNames(store.db)).toEqual(postgresMigrations.map(migrationName));
    expect(migrationName(postgresMigrations[0]!)).toBe('0001_synced_tables');
    expect(await tableNames(store.db)).toEqual(expect.arrayContaining(['events', 'orders', 'devices', 'receipts', 'event_versions', 'kysely_migration', 'kysely_migration_lock']));
    expect(await migratePostgres(store.db)).toBe(latestPostgresVersion);
    expect(await appliedNames(store.db)).toHaveLength(latestPostgresVersion);
  });

  it('migrate 0001 with an event and an order to 0002: the rows stay, order lines get an empty server_version, devices work', async () => {
    store = await emptyStore(kind);
    const { db } = store;
    expect(await migratePostgres(db, { to: '0001_synced_tables' })).toBe(1);
    expect(await tableNames(db)).not.toContain('devices');

    await db.insertInto('events').values({ id: 'ev-1', name: 'Spring Fair', time_zone: 'Europe/Amsterdam', currency: 'EUR', created_at: at, updated_at: at }).execute();
    await db.insertInto('orders').values({ id: 'or-1', event_id: 'ev-1', number: 'B1-000001', channel: 'box_office', status: 'paid', total: 2500, amount_paid: 2500, created_at: at, updated_at: at }).execute();
    await db.insertInto('order_items').values({ id: 'oi-1', order_id: 'or-1', description: 'Day ticket', quantity: 1, unit_price: 2500, created_at: at }).execute();

    expect(await migratePostgres(db, { to: '0002_sync' })).toBe(2);
    expect(await db.selectFrom('events').select(['id', 'name', 'time_zone']).execute()).toEqual([{ id: 'ev-1', name: 'Spring Fair', time_zone: 'Europe/Amsterdam' }]);
    expect(await db.selectFrom('orders').select(['id', 'number']).execute()).toEqual([{ id: 'or-1', number: 'B1-000001' }]);
    expect(await db.selectFrom('order_items').select(['id', 'description', 'server_version']).execute()).toEqual([{ id: 'oi-1', description: 'Day ticket', server_version: null }]);

    await db
      .insertInto('devices')
      .values({ id: 'dev-1', role: 'gate', event_id: 'ev-1', short_code: 'G1', token_hash: 'hash', enrolled_at: at })
      .execute();
    expect(await db.selectFrom('devices').select(['id', 'short_code', 'last_seq', 'revoked_at']).execute()).toEqual([{ id: 'dev-1', short_code: 'G1', last_seq: expect.anything(), revoked_at: null }]);
    // The version trigger of 0002 stamps rows written from now on.
    await db.updateTable('order_items').set({ quantity: 2 }).where('id', '=', 'oi-1').execute();
    const [line] = await db.selectFrom('order_items').select('server_version').execute();
    expect(Number(line!.server_version)).toBeGreaterThan(0);

    expect(await migratePostgres(db)).toBe(latestPostgresVersion);
  });

  it('migrate 0004 with a receipt to 0005: the receipt’s versions are unknown, a new receipt records the version its transaction stamped', async () => {
    store = await emptyStore(kind);
    const { db } = store;
    expect(await migratePostgres(db, { to: '0004_conflict_stamps' })).toBe(4);
    await db.insertInto('events').values({ id: 'ev-1', name: 'Spring Fair', time_zone: 'Europe/Amsterdam', currency: 'EUR', created_at: at, updated_at: at }).execute();
    await db.insertInto('devices').values({ id: 'dev-1', role: 'gate', event_id: 'ev-1', short_code: 'G1', token_hash: 'hash', enrolled_at: at }).execute();
    const receipt = (seq: number) => ({ envelope_id: `env-${seq}`, device_id: 'dev-1', seq, name: 'events.rename', version: 1, event_id: 'ev-1', hlc: 'h', at, args: '{}', status: 'applied', received_at: at });
    await db.insertInto('receipts').values(receipt(1)).execute();

    expect(await migratePostgres(db)).toBe(latestPostgresVersion);
    expect(await db.selectFrom('receipts').select(['seq', 'versions']).execute()).toEqual([{ seq: expect.anything(), versions: null }]);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('events').set({ name: 'Summer Fair' }).where('id', '=', 'ev-1').execute();
      await trx.insertInto('receipts').values(receipt(2)).execute();
    });
    const { version } = await db.selectFrom('event_versions').select('version').where('scope', '=', 'ev-1').executeTakeFirstOrThrow();
    const stamped = await db.selectFrom('receipts').select('versions').where('envelope_id', '=', 'env-2').executeTakeFirstOrThrow();
    expect(stamped.versions).toEqual({ 'ev-1': Number(version) });
    // A transaction that stamped nothing (a rejected command alone) records no version.
    await db.insertInto('receipts').values({ ...receipt(3), status: 'rejected' }).execute();
    expect((await db.selectFrom('receipts').select('versions').where('envelope_id', '=', 'env-3').executeTakeFirstOrThrow()).versions).toEqual({});
  });

  it('migrate 0005 with alerts to 0006: nobody acknowledged them; an acknowledgement stamps the alert with its event’s next version', async () => {
    store = await emptyStore(kind);
    const { db } = store;
    expect(await migratePostgres(db, { to: '0005_receipt_versions' })).toBe(5);
    await db.insertInto('events').values({ id: 'ev-1', name: 'Spring Fair', time_zone: 'Europe/Amsterdam', currency: 'EUR', created_at: at, updated_at: at }).execute();
    await db.insertInto('alerts').values({ id: 'al-1', event_id: 'ev-1', kind: 'double_admission', message: 'Admitted twice', device_id: 'dev-1', created_at: at }).execute();
    const stamped = async () => Number((await db.selectFrom('alerts').select('server_version').where('id', '=', 'al-1').executeTakeFirstOrThrow()).server_version);
    const inserted = await stamped();

    expect(await migratePostgres(db)).toBe(latestPostgresVersion);
    expect(await db.selectFrom('alerts').select(['id', 'acknowledged_at', 'acknowledged_by', 'acknowledged_hlc']).execute()).toEqual([
      { id: 'al-1', acknowledged_at: null, acknowledged_by: null, acknowledged_hlc: null },
    ]);
    await db.updateTable('alerts').set({ acknowledged_at: at, acknowledged_by: 'Ada', acknowledged_hlc: 'h1' }).where('id', '=', 'al-1').execute();
    expect(await stamped()).toBeGreaterThan(inserted);
  });

  it('refuse a database written by a newer server, and change nothing', async () => {
    store = await emptyStore(kind);
    const { db } = store;
    await migratePostgres(db, { to: '0001_synced_tables' });
    await db.insertInto('kysely_migration').values({ name: '9999_from_a_newer_server', timestamp: at }).execute();
    await expect(migratePostgres(db)).rejects.toThrow(/written by a newer Box Office server \(it has migration 9999_from_a_newer_server; this build knows up to 0/);
    expect(await tableNames(db)).not.toContain('devices');
  });

  it.runIf(kind === 'postgres')('migrate once when two servers start on one database at the same time', async () => {
    store = await emptyStore(kind);
    const other = store.another!();
    expect(await Promise.all([migratePostgres(store.db), migratePostgres(other)])).toEqual([latestPostgresVersion, latestPostgresVersion]);
    expect(await appliedNames(store.db)).toEqual(postgresMigrations.map(migrationName));
  });
});
