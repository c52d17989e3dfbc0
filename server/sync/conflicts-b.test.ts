import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoxOfficeCore } from '../../core/api/core.ts';
import { applyEnvelope } from '../../core/commands/command.ts';
import { commandKey, type Envelope } from '../../core/commands/envelope.ts';
import { commandRegistry } from '../../core/commands/registry.ts';
import { reindexCustomer } from '../../core/customers/search-index.ts';
import { deviceId } from '../../core/terminal/state.ts';
import { sql, type Store } from '../../db/store.ts';
import type { Receipt } from '../../sync/protocol.ts';
import { expectError, expectOk } from '../../test/fixtures/commands.ts';
import { journalSetup } from '../../test/fixtures/journal.ts';
import { loadRows, postgresRows } from '../../test/fixtures/postgres-mirror.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { openSyncServer, type SyncServer } from '../../test/fixtures/sync-server.ts';
import { comparableRows, syncedRows, syncedRowsToLoad, syncedTables, type TableRows } from '../../test/fixtures/synced-tables.ts';
import { otherTerminal, outboxEnvelopes } from '../../test/fixtures/terminals.ts';
import type { ServerDatabase } from '../db/database.ts';

/**
 * Issue 10 item 4 with two terminals and a server (DESIGN.md section 6's conflict rules, decided in
 * the command bodies): the same profile field edited on both (last writer wins per field by HLC,
 * both edits audited), the same e-mail created on both (the second customer matched to the first:
 * a tombstone naming it, which later commands follow, on the server and on the terminal once it
 * pulled), one label created on both (one row), a label removed on one and added on the other (the
 * later change by HLC), and one ticket reference claimed on both (the second refused, never moved).
 * Each case pushes in both arrival orders and must end the same way; terminal B's clock runs weeks
 * after A's, so B's changes are the later ones by HLC.
 */
const orders = ['A first', 'B first'] as const;

/** Tables the rules write: what the terminals and the server must agree on. */
const customerTables = ['customers', 'customer_emails', 'customer_labels', 'labels', 'tickets'];

describe.each(serverStoreKinds)('conflict rules across terminals on %s', (kind) => {
  let sync: SyncServer;
  let db: ServerDatabase;

  beforeAll(async () => {
    sync = await openSyncServer(kind);
    db = sync.db;
    // PGlite starts in seconds, more when other suites share the CPUs.
  }, 60_000);
  afterAll(() => sync.close());

  interface Terminal {
    store: Store;
    core: BoxOfficeCore;
    token: string;
    /** The envelopes the server answered already. */
    answered: Set<string>;
  }

  const enrol = async (store: Store) => (await sync.enrol('admin', { deviceId: deviceId(store) })).token;

  /**
   * The journal fixture on two terminals (B a copy of A with its own device id and a later clock)
   * and on the server, which has both terminals enrolled and their operator. `prepare` runs on A
   * before the copy, as if both terminals had synced it.
   */
  async function twoTerminals(prepare?: (setup: ReturnType<typeof journalSetup>) => Promise<void>) {
    const setup = journalSetup();
    await prepare?.(setup);
    setup.store.run(sql.deleteFrom('outbox'));
    setup.store.run(sql.deleteFrom('terminal_state').where('key', 'in', ['device_seq', 'hlc']));
    const other = otherTerminal(setup.store, { clockStart: '2026-07-10T11:00:00.000Z', operator: 'operator-1' });
    await loadRows(db, syncedRowsToLoad(setup.store.db));
    const now = sync.clock.now().toISOString();
    await db
      .insertInto('operators')
      .values({ id: 'op-1', name: 'operator-1', name_key: 'operator-1', role: 'admin', pin_hash: 'x', created_at: now, updated_at: now, server_version: null, deleted_at: null })
      .execute();
    const a: Terminal = { store: setup.store, core: setup.core, token: await enrol(setup.store), answered: new Set() };
    const b: Terminal = { store: other.store, core: other.core, token: await enrol(other.store), answered: new Set() };
    return { ...setup, a, b };
  }

  const outboxOf = outboxEnvelopes;

  /** Pushes the terminal's whole outbox; the receipts of the envelopes the server had not taken yet. */
  async function push(terminal: Terminal): Promise<Receipt[]> {
    const { receipts } = await sync.push(terminal.token, outboxOf(terminal.store));
    const fresh = receipts.filter((receipt) => !terminal.answered.has(receipt.id));
    for (const receipt of fresh) terminal.answered.add(receipt.id);
    return fresh;
  }

  /** Both terminals' outboxes, in the arrival order asked for; the receipts of each. */
  async function pushBoth(order: (typeof orders)[number], a: Terminal, b: Terminal) {
    if (order === 'A first') {
      const fromA = await push(a);
      return { fromA, fromB: await push(b) };
    }
    const fromB = await push(b);
    return { fromA: await push(a), fromB };
  }

  const serverRows = async (tables: readonly string[] = customerTables) => postgresRows(db, tables);

  function only(rows: TableRows, tables: readonly string[] = customerTables): TableRows {
    return comparableRows(Object.fromEntries(tables.map((table) => [table, rows[table] ?? []])));
  }

  /**
   * A pull, as a snapshot: the terminal's synced tables become the server's, its search index is
   * rebuilt, and its pending envelopes run again on top (the rebase), each as the terminal ran it.
   */
  async function pullInto(terminal: Terminal, pending: readonly Envelope[] = []) {
    const { store } = terminal;
    const tables = syncedTables(store.db);
    const rows = await postgresRows(db, tables);
    store.db.pragma('foreign_keys = OFF');
    store.db.transaction(() => {
      for (const table of tables) store.db.prepare(`DELETE FROM "${table}"`).run();
      store.db.prepare('DELETE FROM customer_search').run();
      for (const table of tables) {
        for (const row of rows[table]!) {
          const columns = Object.keys(row);
          store.db.prepare(`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...columns.map((column) => row[column]));
        }
      }
      for (const { id } of store.all(sql.selectFrom('customers').select('id'))) reindexCustomer(store, id);
    })();
    store.db.pragma('foreign_keys = ON');
    for (const envelope of pending) applyEnvelope(store, commandRegistry.get(commandKey(envelope))!, envelope);
  }

  const customerByEmail = (rows: TableRows, email: string) => (rows.customers ?? []).filter((row) => row.email === email);

  describe('the same profile field edited on two terminals', () => {
    it.each(orders)('keeps the later edit per field and audits both (%s)', async (order) => {
      const { a, b, pools } = await twoTerminals();
      const bram = pools.customers[1]!;
      expectOk(await a.core.invoke('customers.update', { customerId: bram, phone: '0611111111', firstName: 'Bram A' }));
      expectOk(await a.core.invoke('customers.setDescription', { customerId: bram, description: 'Note from A' }));
      expectOk(await b.core.invoke('customers.update', { customerId: bram, phone: '0622222222', city: 'Utrecht' }));
      expectOk(await b.core.invoke('customers.setDescription', { customerId: bram, description: 'Note from B' }));

      const { fromA, fromB } = await pushBoth(order, a, b);
      const customer = (await db.selectFrom('customers').selectAll().where('id', '=', bram).executeTakeFirstOrThrow());
      // B's edits are later by HLC: its phone and note stay whichever came first; A's first name applies.
      expect(customer).toMatchObject({ first_name: 'Bram A', phone: '0622222222', city: 'Utrecht', description: 'Note from B' });
      const hlcOf = (terminal: Terminal, index: number) => outboxOf(terminal.store)[index]!.hlc;
      expect(JSON.parse(customer.field_hlcs)).toEqual({ first_name: hlcOf(a, 0), phone: hlcOf(b, 0), city: hlcOf(b, 0), description: hlcOf(b, 1) });

      if (order === 'A first') {
        expect([...fromA, ...fromB].map((receipt) => receipt.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
      } else {
        expect(fromB.map((receipt) => receipt.status)).toEqual(['applied', 'applied']);
        expect(fromA).toMatchObject([
          { status: 'applied_with_conflict', conflicts: [{ kind: 'field_overwritten', message: 'The phone of Bram was changed later on another terminal: this edit left it as it is', entity: 'customer', entityId: bram }] },
          // By then A's first name applied: the message names Bram as he is called now.
          { status: 'applied_with_conflict', conflicts: [{ kind: 'field_overwritten', message: 'The internal note of Bram A was changed later on another terminal: this edit left it as it is' }] },
        ]);
      }
      // Both edits are in the audit log; the one that lost says what it left alone.
      const audit = await db.selectFrom('audit_log').select(['operation', 'device_id', 'after']).where('entity_id', '=', bram).orderBy('id').execute();
      const byA = audit.filter((entry) => entry.device_id === deviceId(a.store)).map((entry) => JSON.parse(entry.after!) as unknown);
      expect(byA).toEqual(
        order === 'A first'
          ? [{ phone: '0611111111', firstName: 'Bram A' }, { description: 'Note from A' }]
          : [{ firstName: 'Bram A', notApplied: { phone: '0611111111' } }, { notApplied: { description: 'Note from A' } }],
      );
      expect(audit.filter((entry) => entry.device_id === deviceId(b.store))).toHaveLength(2);
    });
  });

  describe('the same e-mail created on two terminals', () => {
    it.each(orders)('matches the second customer to the first, and later commands naming it act on the first (%s)', async (order) => {
      const { a, b } = await twoTerminals();
      const { customerId: onA } = expectOk(await a.core.invoke('customers.createAccount', { email: 'dana@example.org', firstName: 'Dana' }));
      const { customerId: onB } = expectOk(await b.core.invoke('customers.createAccount', { email: 'dana@example.org', lastName: 'Visser', phone: '0633333333' }));
      expectOk(await b.core.invoke('customers.addLabel', { customerId: onB, label: 'VIP' }));
      expectOk(await b.core.invoke('customers.update', { customerId: onB, city: 'Leiden' }));
      expectOk(await b.core.invoke('tickets.assign', { customerId: onB, references: ['TCK-4'] }));

      const { fromA, fromB } = await pushBoth(order, a, b);
      const [first, second] = order === 'A first' ? [onA, onB] : [onB, onA];
      const matched = order === 'A first' ? fromB[0] : fromA[0];
      expect(matched).toMatchObject({
        status: 'applied_with_conflict',
        conflicts: [{ kind: 'email_matched', message: `Email dana@example.org is already the main email of ${order === 'A first' ? 'Dana' : 'Visser'}: the customer created with it was matched to that customer`, entityId: first }],
      });
      expect([...fromA, ...fromB].every((receipt) => receipt.status !== 'rejected')).toBe(true);

      const rows = await serverRows();
      expect(customerByEmail(rows, 'dana@example.org')).toHaveLength(2);
      // One customer with both terminals' details, the other a tombstone naming it.
      expect(rows.customers!.find((row) => row.id === first)).toMatchObject({ deleted_at: null, merged_into: null, first_name: 'Dana', last_name: 'Visser', phone: '0633333333', city: 'Leiden' });
      expect(rows.customers!.find((row) => row.id === second)).toMatchObject({ deleted_at: expect.any(String), merged_into: first });
      expect(rows.customer_labels!.filter((row) => row.deleted_at === null)).toEqual([expect.objectContaining({ customer_id: first })]);
      expect(rows.tickets!.find((ticket) => ticket.reference === 'TCK-4')).toMatchObject({ customer_id: first });

      // B after it pulled: its customer id opens the first customer, and a new command naming it acts there.
      await pullInto(b);
      expect(expectOk(await b.core.invoke('customers.card', { customerId: onB })).profile.id).toBe(first);
      expectOk(await b.core.invoke('customers.setDescription', { customerId: onB, description: 'Matched by e-mail' }));
      expect(b.store.first(sql.selectFrom('customers').select('description').where('id', '=', first))).toEqual({ description: 'Matched by e-mail' });
      const [described] = await push(b);
      expect(described).toMatchObject({ status: 'applied' });
      expect(await db.selectFrom('customers').select('description').where('id', '=', first).executeTakeFirst()).toEqual({ description: 'Matched by e-mail' });
    });

    it('is predicted by the rebase: B, pulling A’s customer before it pushed, ends as the server does', async () => {
      const { a, b } = await twoTerminals();
      expectOk(await a.core.invoke('customers.createAccount', { email: 'dana@example.org', firstName: 'Dana' }));
      const { customerId: onB } = expectOk(await b.core.invoke('customers.createAccount', { email: 'dana@example.org', lastName: 'Visser' }));
      expectOk(await b.core.invoke('customers.addLabel', { customerId: onB, label: 'VIP' }));
      await push(a);
      // The rebase: B's pending commands run again on the server's rows.
      await pullInto(b, outboxOf(b.store));
      const predicted = only(syncedRows(b.store.db));
      const [created, labelled] = await push(b);
      expect(created).toMatchObject({ status: 'applied_with_conflict', conflicts: [{ kind: 'email_matched' }] });
      expect(labelled).toMatchObject({ status: 'applied' });
      expect(only(await serverRows())).toEqual(predicted);
    });

    it.each(orders)('matches an account to the customer holding its e-mail as an alternative one, or refuses the alternative e-mail (%s)', async (order) => {
      const { a, b, pools } = await twoTerminals();
      const bram = pools.customers[1]!;
      expectOk(await a.core.invoke('customers.addAlternativeEmail', { customerId: bram, email: 'bram.work@example.org' }));
      const { customerId: onB } = expectOk(await b.core.invoke('customers.createAccount', { email: 'bram.work@example.org', firstName: 'B.' }));
      const { fromA, fromB } = await pushBoth(order, a, b);
      const rows = await serverRows();
      if (order === 'A first') {
        expect(fromB[0]).toMatchObject({ status: 'applied_with_conflict', conflicts: [{ kind: 'email_matched', message: 'Email bram.work@example.org is already an alternative email of Bram: the customer created with it was matched to that customer' }] });
        expect(customerByEmail(rows, 'bram.work@example.org')).toEqual([expect.objectContaining({ id: onB, merged_into: bram })]);
      } else {
        expect(fromA[0]).toMatchObject({ status: 'rejected', code: 'conflict', field: 'email', message: 'Email bram.work@example.org is already the main email of B.' });
        expect(rows.customer_emails).toEqual([]);
        expect(customerByEmail(rows, 'bram.work@example.org')).toEqual([expect.objectContaining({ id: onB, deleted_at: null })]);
      }
    });

    it.each(orders)('matches a customer an import created to the one the server has, for the import’s later commands too (%s)', async (order) => {
      const { a, b, eventId } = await twoTerminals();
      const { customerId: onA } = expectOk(await a.core.invoke('customers.createAccount', { email: 'erik@example.org', firstName: 'Erik' }));
      expectOk(await b.core.invoke('import.customers', { source: { text: 'email,last name,ticket\nerik@example.org,Jansen,IMP-1\n' }, eventId }));
      const onB = b.store.first(sql.selectFrom('customers').select('id').where('email', '=', 'erik@example.org'))!.id;
      expectOk(await b.core.invoke('customers.addLabel', { customerId: onB, label: 'Imported' }));

      const { fromA, fromB } = await pushBoth(order, a, b);
      const rows = await serverRows();
      const live = customerByEmail(rows, 'erik@example.org').filter((row) => row.deleted_at === null);
      expect(live).toHaveLength(1);
      const kept = live[0]!.id;
      expect(kept).toBe(order === 'A first' ? onA : onB);
      expect(rows.tickets!.find((ticket) => ticket.reference === 'IMP-1')).toMatchObject({ customer_id: kept });
      expect(rows.customer_labels!.filter((row) => row.deleted_at === null)).toEqual([expect.objectContaining({ customer_id: kept })]);
      const matched = order === 'A first' ? fromB[0] : fromA[0];
      expect(matched).toMatchObject({ status: 'applied_with_conflict', conflicts: [{ kind: 'email_matched' }] });
      if (order === 'A first') expect(matched!.conflicts![0]!.message).toBe('Row 2: a customer with email erik@example.org was already known: the row was imported to that customer, not to a new one');
    });
  });

  describe('labels created or changed on two terminals', () => {
    it.each(orders)('creates "VIP" once, whoever creates it (%s)', async (order) => {
      const { a, b, pools } = await twoTerminals();
      const [anna, bram] = pools.customers;
      const { labelId: onA } = expectOk(await a.core.invoke('customers.addLabel', { customerId: anna!, label: 'VIP' }));
      const { labelId: onB } = expectOk(await b.core.invoke('customers.addLabel', { customerId: bram!, label: 'vip' }));
      expect(onB).toBe(onA);
      const { fromA, fromB } = await pushBoth(order, a, b);
      expect([...fromA, ...fromB].map((receipt) => receipt.status)).toEqual(['applied', 'applied']);
      const rows = await serverRows(['labels', 'customer_labels']);
      expect(rows.labels).toEqual([expect.objectContaining({ id: onA, name: order === 'A first' ? 'VIP' : 'vip' })]);
      expect(rows.customer_labels!.map((row) => row.customer_id).sort()).toEqual([anna, bram].sort());
    });

    it.each(orders)('keeps the later of a removal and an add by HLC (%s)', async (order) => {
      const { a, b, pools } = await twoTerminals(async (setup) => {
        expectOk(await setup.core.invoke('customers.addLabel', { customerId: setup.pools.customers[2]!, label: 'Crew' }));
      });
      const cleo = pools.customers[2]!;
      const labelId = a.store.first(sql.selectFrom('labels').select('id').where('name', '=', 'Crew'))!.id;
      // A takes it off; B, an hour later by its clock, takes it off and puts it back.
      expectOk(await a.core.invoke('customers.removeLabel', { customerId: cleo, labelId }));
      expectOk(await b.core.invoke('customers.removeLabel', { customerId: cleo, labelId }));
      expectOk(await b.core.invoke('customers.addLabel', { customerId: cleo, label: 'Crew' }));
      const { fromA, fromB } = await pushBoth(order, a, b);
      const [row] = (await serverRows(['customer_labels'])).customer_labels!;
      expect(row).toMatchObject({ customer_id: cleo, label_id: labelId, deleted_at: null, hlc: outboxOf(b.store)[1]!.hlc });
      if (order === 'A first') {
        // A's removal came first; B's removal finds nothing to remove, its add (later) puts it back.
        expect(fromB.map((receipt) => receipt.status)).toEqual(['rejected', 'applied']);
      } else {
        expect(fromA).toMatchObject([{ status: 'applied_with_conflict', conflicts: [{ kind: 'field_overwritten', message: 'The label Crew of Cleo was added again later on another terminal: it stays added' }] }]);
      }
    });
  });

  describe('one ticket reference claimed on two terminals', () => {
    it.each(orders)('refuses the second assignment, naming the reference, and never moves the ticket (%s)', async (order) => {
      const { a, b, pools } = await twoTerminals();
      const [, bram, cleo] = pools.customers;
      expectOk(await a.core.invoke('tickets.assign', { customerId: bram!, references: ['TCK-5'] }));
      expectOk(await b.core.invoke('tickets.assign', { customerId: cleo!, references: ['TCK-5'] }));
      const { fromA, fromB } = await pushBoth(order, a, b);
      const [winner, refused, holder] = order === 'A first' ? [fromA[0], fromB[0], 'Bram'] : [fromB[0], fromA[0], 'Cleo'];
      expect(winner).toMatchObject({ status: 'applied' });
      expect(refused).toMatchObject({ status: 'rejected', code: 'conflict', field: 'references.0', message: `Ticket TCK-5 belongs to ${holder}; nothing was assigned` });
      expect((await serverRows(['tickets'])).tickets!.find((ticket) => ticket.reference === 'TCK-5')).toMatchObject({ customer_id: order === 'A first' ? bram : cleo });
    });

    it.each(orders)('rejects an import row whose new ticket another terminal created first, and reports it (%s)', async (order) => {
      const { a, b, eventId } = await twoTerminals();
      expectOk(await a.core.invoke('import.customers', { source: { text: 'email,ticket\nfrank@example.org,NEW-1\n' }, eventId }));
      expectOk(await b.core.invoke('import.customers', { source: { text: 'email,ticket\ngreta@example.org,NEW-1\nhans@example.org,NEW-2\n' }, eventId }));
      const { fromA, fromB } = await pushBoth(order, a, b);
      const [first, second, holder, row] = order === 'A first' ? [fromA[0], fromB[0], 'frank@example.org', 2] : [fromB[0], fromA[0], 'greta@example.org', 2];
      expect(first).toMatchObject({ status: 'applied' });
      expect(second).toMatchObject({
        status: 'applied_with_conflict',
        conflicts: [{ kind: 'row_rejected', message: `Row ${row} was not imported: ticketReference: ticket NEW-1 belongs to another customer (${holder}); it was not moved` }],
      });
      const rows = await serverRows();
      const ticket = rows.tickets!.find((candidate) => candidate.reference === 'NEW-1')!;
      expect(rows.customers!.find((customer) => customer.id === ticket.customer_id)).toMatchObject({ email: holder });
    });

    it.each(orders)('refuses a sale whose printed ticket reference another terminal imported first; else rejects the import row (%s)', async (order) => {
      const { a, b, pools } = await twoTerminals();
      const sale = expectOk(await b.core.invoke('orders.create', { customerId: pools.customers[2]!, items: [{ catalogItemId: 'item-ticket', quantity: 1 }], amountPaid: 18900 }));
      const { reference } = sale.tickets[0]!;
      expectOk(await a.core.invoke('import.customers', { source: { text: `email,ticket\nivo@example.org,${reference}\n` } }));
      const { fromA, fromB } = await pushBoth(order, a, b);
      const ticket = (await serverRows(['tickets'])).tickets!.find((candidate) => candidate.reference === reference)!;
      if (order === 'A first') {
        expect(fromB[0]).toMatchObject({
          status: 'rejected',
          code: 'conflict',
          field: 'ticketReferences',
          message: `Ticket ${reference}, issued with order ${sale.number}, is already the ticket of ivo@example.org: it was not moved, and the order was not recorded`,
        });
        expect(ticket.order_id).toBeNull();
      } else {
        expect(fromB[0]).toMatchObject({ status: 'applied' });
        expect(fromA[0]).toMatchObject({ status: 'applied_with_conflict', conflicts: [{ kind: 'row_rejected' }] });
        expect(ticket).toMatchObject({ customer_id: pools.customers[2], order_id: sale.orderId });
      }
    });
  });

  describe('an import and an edit of the same field', () => {
    it.each(orders)('keeps the later by HLC, whichever arrives first (%s)', async (order) => {
      const { a, b, eventId, pools } = await twoTerminals();
      const bram = pools.customers[1]!;
      expectOk(await a.core.invoke('import.customers', { source: { text: 'email,phone,city,ticket\nbram@example.org,0644444444,Gouda,\n' }, eventId }));
      expectOk(await b.core.invoke('customers.update', { customerId: bram, phone: '0655555555' }));
      const { fromA } = await pushBoth(order, a, b);
      expect(await db.selectFrom('customers').select(['phone', 'city']).where('id', '=', bram).executeTakeFirst()).toEqual({ phone: '0655555555', city: 'Gouda' });
      if (order === 'B first') {
        expect(fromA[0]).toMatchObject({ status: 'applied_with_conflict', conflicts: [{ kind: 'field_overwritten', message: 'The phone of Bram was changed later on another terminal: this edit left it as it is' }] });
      }
    });
  });

  describe('the same import on two terminals', () => {
    it.each(orders)('applies the second as a batch with nothing left to do, not as a failed push (%s)', async (order) => {
      const { a, b, eventId } = await twoTerminals();
      const file = { source: { text: 'email,phone,city,ticket\nbram@example.org,0644444444,Gouda,\n' }, eventId };
      expectOk(await a.core.invoke('import.customers', file));
      expectOk(await b.core.invoke('import.customers', file));
      const { fromA, fromB } = await pushBoth(order, a, b);
      expect([...fromA, ...fromB].map((receipt) => receipt.status)).toEqual(['applied', 'applied']);
      expect(await db.selectFrom('customers').select(['phone', 'city']).where('email', '=', 'bram@example.org').execute()).toEqual([{ phone: '0644444444', city: 'Gouda' }]);
    });
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const { a } = await twoTerminals();
    const before = a.store.all(sql.selectFrom('customers').selectAll());
    expectError(await a.core.invoke('customers.createAccount', { email: 'not an e-mail' }), 'VALIDATION', 'email');
    expect(a.store.all(sql.selectFrom('customers').selectAll())).toEqual(before);
  });
});
