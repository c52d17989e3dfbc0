import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { freshServerDatabase, serverStoreKinds, type TestServerDatabase } from '../../test/fixtures/server-database.ts';
import { seededServer, stampSyncedRows } from '../../test/fixtures/sync-server.ts';
import { syncedTables } from '../../test/fixtures/synced-tables.ts';
import { inScope, pulledTables, untyped, type PulledTable } from './pulled-tables.ts';

/**
 * The pulled tables come from the catalog (migration 0002's triggers, primary and foreign keys):
 * these tests pin what that derivation must give, and that `inScope` files each row under the
 * scope the trigger stamped it for.
 */
// Opening PGlite takes seconds, more on a loaded machine: the hooks get their own timeout.
describe.each(serverStoreKinds)('the pulled tables on %s', (kind) => {
  let server: TestServerDatabase;
  let tables: readonly PulledTable[];
  let eventId: string;

  beforeAll(async () => {
    server = await freshServerDatabase(kind);
    ({ eventId } = await seededServer(server.db));
    tables = await pulledTables(server.db);
  }, 120_000);
  afterAll(() => server.drop());

  const table = (name: string) => tables.find((candidate) => candidate.name === name)!;

  it('are the synced tables but the audit log (the server’s journal), each with its scope rule and primary key', () => {
    const terminal = openDatabase(':memory:');
    expect(tables.map((candidate) => candidate.name).sort()).toEqual(syncedTables(terminal).filter((name) => name !== 'audit_log').sort());
    terminal.close();
    expect(table('events')).toMatchObject({ name: 'events', scope: 'self', key: ['id'] });
    expect(table('tickets')).toMatchObject({ name: 'tickets', scope: 'event_id', key: ['id'] });
    expect(table('ledger_entries').scope).toBe('event_id');
    expect(table('order_items').scope).toBe('order');
    expect(table('order_status_history').scope).toBe('order');
    expect(table('pack_contents').scope).toBe('pack');
    expect(table('customers').scope).toBe('none');
    expect(table('customer_emails')).toMatchObject({ name: 'customer_emails', scope: 'none', key: ['customer_id', 'email'] });
    expect(table('customer_labels')).toMatchObject({ name: 'customer_labels', scope: 'none', key: ['customer_id', 'label_id'] });
  });

  it('come after the tables they reference', async () => {
    const { rows } = await sql<{ child: string; parent: string }>`
      SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint f
      JOIN pg_class child ON child.oid = f.conrelid JOIN pg_class parent ON parent.oid = f.confrelid
      WHERE f.contype = 'f'`.execute(server.db);
    const position = (name: string) => tables.findIndex((candidate) => candidate.name === name);
    const pulled = rows.filter(({ child, parent }) => position(child) >= 0 && position(parent) >= 0 && child !== parent);
    expect(pulled.length).toBeGreaterThan(20);
    for (const { child, parent } of pulled) expect(position(parent), `${parent} before ${child}`).toBeLessThan(position(child));
  });

  it('file every row under exactly one scope: the one the trigger stamped it for', async () => {
    // Apart versions per scope: '' rows get 1001, the event's rows 2 (one stamping transaction).
    await sql`UPDATE event_versions SET version = 1000 WHERE scope = ''`.execute(server.db);
    await stampSyncedRows(server.db);
    const versions = { '': 1001, [eventId]: 2 };
    for (const pulled of tables) {
      const all = await untyped(server.db).selectFrom(pulled.name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      let filed = 0;
      for (const [scope, version] of Object.entries(versions)) {
        const condition = inScope(pulled, scope);
        if (condition === null) continue;
        const rows = await untyped(server.db).selectFrom(pulled.name).select('server_version').where(condition).execute();
        expect(rows.every((row) => row.server_version === version), `${pulled.name} rows of scope '${scope}'`).toBe(true);
        filed += rows.length;
      }
      expect(filed, pulled.name).toBe(Number(all.n));
    }
  });
});
