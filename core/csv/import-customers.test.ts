import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportProgressEvent } from '../api/pubsub.ts';
import { sql, type Store } from '../../db/store.ts';
import {
  createTestCore,
  insertEvent,
  insertTestCustomer,
  insertTicket,
  insertTicketType,
  snapshot,
} from '../../test/fixtures/store.ts';
import type { ImportCustomersInput, ImportCustomersResult } from '../import/import.contract.ts';

const fixtures = join(import.meta.dirname, '../../test/fixtures/csv');
const fixture = (name: string) => join(fixtures, name);

type TestCore = ReturnType<typeof createTestCore>['core'];

/** Rejections without their cells, for the tests about reasons. */
const reasons = (result: ImportCustomersResult) => result.rejected.map(({ row, reason }) => ({ row, reason }));

async function importOk(core: TestCore, input: ImportCustomersInput): Promise<ImportCustomersResult> {
  const result = await core.invoke('import.customers', input);
  if (!result.ok) throw new Error(`${result.error.code} ${result.error.field}: ${result.error.message}`);
  return result.value;
}

/** A store with one event whose only ticket type is "Weekend". */
function setup() {
  const { store, core } = createTestCore();
  const eventId = insertEvent(store, { name: 'Summer Festival' });
  const weekendId = insertTicketType(store, eventId, 'Weekend');
  return { store, core, eventId, weekendId };
}

function customerByEmail(store: Store, email: string) {
  return store.first(sql.selectFrom('customers').selectAll().where('email', '=', email));
}

function ticketByReference(store: Store, reference: string) {
  return store.first(
    sql
      .selectFrom('tickets')
      .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
      .select(['tickets.id', 'tickets.customer_id', 'tickets.event_id', 'ticket_types.name as type'])
      .where('reference', '=', reference),
  );
}

function count(store: Store, table: 'customers' | 'tickets' | 'audit_log' | 'outbox' | 'ticket_types' | 'events'): number {
  return Number(store.first(sql.selectFrom(table).select((eb) => eb.fn.countAll().as('n')))?.n);
}

/** Search finds an imported customer: the FTS row was written with the customer. */
function searchRowids(store: Store, query: string): number[] {
  return (
    store.db.prepare('SELECT rowid FROM customer_search WHERE customer_search MATCH ? ORDER BY rowid').all(query) as {
      rowid: number;
    }[]
  ).map((row) => row.rowid);
}

describe('import.customers: reading files', () => {
  it.each([
    ['comma, CRLF, no BOM', 'customers-comma.csv', 'Line one\r\nLine two'],
    ['semicolon, LF, BOM', 'customers-semicolon-bom.csv', 'Line one\nLine two'],
    ['tab, LF', 'customers-tab.tsv', 'Line one\nLine two'],
  ])('imports a %s file with quoted delimiters and line breaks and loose headers', async (_label, name, bobAddress) => {
    const { store, core, eventId } = setup();
    const result = await importOk(core, { source: { path: fixture(name) }, ticketTypeChoices: [{ name: 'Day ticket', create: true }] });
    expect(result).toEqual({
      eventId,
      eventCreated: false,
      dryRun: false,
      rowsRead: 3,
      imported: 3,
      updated: 0,
      unchanged: 0,
      rejected: [],
      warnings: [],
      header: result.header,
      createdTicketTypes: ['Day ticket', 'General admission'],
      unknownTicketTypes: [],
      ignoredColumns: [],
    });
    expect(result.header).toHaveLength(11);

    const anna = customerByEmail(store, 'anna@example.com');
    expect(anna).toMatchObject({
      first_name: 'Anna',
      last_name: 'de Vries',
      phone: '+31 6 1234 5678',
      postcode: '1012 AB',
      address: 'Damrak 1, 2nd floor',
      city: 'Amsterdam',
      country: 'NL',
      gender: 'female',
      verification_status: 'non_verified',
      sort_name: 'de vries anna',
    });
    expect(customerByEmail(store, 'bob@example.com')).toMatchObject({ last_name: 'Smith, Jr.', address: bobAddress, phone: null });
    expect(ticketByReference(store, 'TCK-1001')).toMatchObject({ customer_id: anna!.id, type: 'Weekend', event_id: eventId });
    expect(ticketByReference(store, 'TCK-1002')?.type).toBe('Day ticket');

    // The ticket-only row made an anonymous customer holding its ticket.
    const anonymousTicket = ticketByReference(store, 'TCK-1003');
    expect(anonymousTicket?.type).toBe('General admission');
    expect(store.first(sql.selectFrom('customers').selectAll().where('id', '=', anonymousTicket!.customer_id!))).toMatchObject({
      email: null,
      first_name: null,
      last_name: null,
    });
    expect(searchRowids(store, 'anna')).toEqual([anna!.search_rowid]);
    expect(searchRowids(store, '31612345678')).toEqual([anna!.search_rowid]);
  });

  it('reads text the same way as a file', async () => {
    const { store, core } = setup();
    const text = '\uFEFFemail;ticket\r\nx@example.com;T-1\r\n';
    const result = await importOk(core, { source: { text } });
    expect(result).toMatchObject({ rowsRead: 1, imported: 1, rejected: [] });
    expect(ticketByReference(store, 'T-1')?.customer_id).toBe(customerByEmail(store, 'x@example.com')?.id);
  });

  it('treats a quote inside an unquoted cell as text and skips rows of empty cells', async () => {
    const { store, core } = setup();
    const text = 'email,first name,ticket\na@example.com,5" Anna,T-1\n,,\n\nb@example.com,Bob,T-2\n';
    const result = await importOk(core, { source: { text } });
    expect(result).toMatchObject({ rowsRead: 2, imported: 2, rejected: [] });
    expect(customerByEmail(store, 'a@example.com')?.first_name).toBe('5" Anna');
  });

  it.each([false, true])('refuses a file cut short inside a quote whole, naming the row, and writes nothing (dry run %s)', async (dryRun) => {
    const { store, core } = setup();
    const before = snapshot(store);
    // Two batches of good rows before the break: a real run must not have committed them.
    const text = 'email,ticket\na@example.com,T-1\nb@example.com,T-2\nc@example.com,T-3\nd@example.com,"T-4\n';
    const result = await core.invoke('import.customers', { source: { text }, dryRun, batchSize: 2 });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'source' } });
    if (result.ok) return;
    expect(result.error.message).toMatch(/^The file is not valid CSV from row 5 on \(.*Quote Not Closed.*\); nothing was imported\./);
    expect(snapshot(store)).toEqual(before);
  });

  it.each([
    ['a missing file', { path: join(fixtures, 'no-such-file.csv') }, /^There is no file at /],
    ['a folder', { path: fixtures }, /is not a file$/],
    ['an empty text', { text: '' }, /^The file is empty/],
    ['blank lines only', { text: '\r\n\r\n' }, /^The file is empty/],
    ['a header without email or ticket column', { text: 'Name,Age\nAnna,30\n' }, /no email column and no ticket reference column.*\(header: Name, Age\)$/],
    ['a binary file', { text: '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000' }, /no email column and no ticket reference column/],
    ['a malformed header', { text: 'email,"ticket\n' }, /^The header row is not valid CSV/],
  ])('refuses %s with VALIDATION on source and changes nothing', async (_label, source, message) => {
    const { store, core } = setup();
    const before = snapshot(store);
    const result = await core.invoke('import.customers', { source });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.field).toBe('source');
    expect(result.error.message).toMatch(message);
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses a UTF-16 file with VALIDATION on source', async () => {
    const { store, core } = setup();
    const path = join(mkdtempSync(join(tmpdir(), 'box-office-csv-')), 'utf16.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email,ticket\r\na@example.com,T-1\r\n', 'utf16le')]));
    const before = snapshot(store);
    const result = await core.invoke('import.customers', { source: { path } });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'source', message: expect.stringMatching(/UTF-16/) } });
    expect(snapshot(store)).toEqual(before);
  });

  it('validates its own input', async () => {
    const { core } = setup();
    for (const input of [{ source: {} }, { source: { text: 'email\n' }, batchSize: 0 }, { source: { text: 'email\n' }, batchSize: 10_001 }]) {
      const result = await core.invoke('import.customers', input as ImportCustomersInput);
      expect(result.ok ? undefined : result.error.code).toBe('VALIDATION');
    }
  });
});

describe('import.customers: rows', () => {
  it('reports each bad row with its spreadsheet row number and imports the good ones', async () => {
    const { store, core, eventId, weekendId } = setup();
    const holderId = insertTestCustomer(store, { email: 'holder@example.com' });
    insertTicket(store, { eventId, ticketTypeId: weekendId, reference: 'TCK-HELD', customerId: holderId });

    const result = await importOk(core, { source: { path: fixture('customers-with-errors.csv') } });
    expect(result).toMatchObject({ rowsRead: 8, imported: 2, updated: 0, unchanged: 0, ignoredColumns: ['Membership level'] });
    expect(result.rejected[0]).toEqual({ row: 3, reason: 'email: Invalid email address', cells: ['not-an-email', 'Bad', 'Email', 'TCK-2002', ''] });
    expect(result.rejected[2]!.cells).toEqual(['extra@example.com', 'Too', 'Many', 'TCK-2004', 'x', 'unexpected']);
    expect(reasons(result)).toEqual([
      { row: 3, reason: 'email: Invalid email address' },
      { row: 4, reason: 'firstName: First name is longer than 100 characters' },
      { row: 5, reason: 'the row has 6 fields but the header has 5' },
      { row: 6, reason: 'ticketReference: ticket TCK-HELD belongs to another customer (holder@example.com); it was not moved' },
      { row: 7, reason: 'the row has neither an email nor a ticket reference' },
      { row: 8, reason: 'ticketReference: a new customer needs a ticket reference (no customer has this email)' },
    ]);
    expect(customerByEmail(store, 'good@example.com')).toBeDefined();
    expect(customerByEmail(store, 'second@example.com')).toBeDefined();
    for (const email of ['thief@example.com', 'long@example.com', 'extra@example.com', 'nobody@example.com']) {
      expect(customerByEmail(store, email)).toBeUndefined();
    }
    expect(ticketByReference(store, 'TCK-HELD')?.customer_id).toBe(holderId);
    expect(count(store, 'customers')).toBe(3);
  });

  it('numbers rows as a spreadsheet does: blank lines count, quoted line breaks do not', async () => {
    const { core } = setup();
    const text = 'email,first name,ticket\n\na@example.com,"two\nlines",T-1\n\nbad,Bad,T-2\n';
    const result = await importOk(core, { source: { text } });
    expect(reasons(result)).toEqual([{ row: 5, reason: 'email: Invalid email address' }]);
  });

  it('updates existing customers, fills but never clears fields, and assigns free tickets', async () => {
    const { store, core, eventId, weekendId } = setup();
    const annaId = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna', phone: '0612345678' });
    const anonymousId = insertTestCustomer(store, {});
    insertTicket(store, { eventId, ticketTypeId: weekendId, reference: 'T-ANON', customerId: anonymousId });
    insertTicket(store, { eventId, ticketTypeId: weekendId, reference: 'T-FREE' });
    insertTicket(store, { eventId, ticketTypeId: weekendId, reference: 'T-NEWCUSTOMER' });
    const auditBefore = count(store, 'audit_log');

    const text = [
      'email,first name,last name,phone,ticket',
      'anna@example.com,,de Vries,,', // fills last name; empty phone keeps the old one
      'anna@example.com,,,,T-FREE', // assigns a ticket nobody holds
      'fresh@example.com,Fresh,,,T-ANON', // the anonymous holder of T-ANON gets this email
      'new@example.com,New,,,T-NEWCUSTOMER', // a new customer takes a free existing ticket
      'ANNA@example.com,Anna,de Vries,,', // nothing new
    ].join('\n');
    const result = await importOk(core, { source: { text } });
    expect(result).toMatchObject({ rowsRead: 5, imported: 1, updated: 3, unchanged: 1, rejected: [], createdTicketTypes: [] });

    expect(store.first(sql.selectFrom('customers').selectAll().where('id', '=', annaId))).toMatchObject({
      first_name: 'Anna',
      last_name: 'de Vries',
      phone: '0612345678',
      sort_name: 'de vries anna',
    });
    expect(ticketByReference(store, 'T-FREE')?.customer_id).toBe(annaId);
    expect(store.first(sql.selectFrom('customers').selectAll().where('id', '=', anonymousId))).toMatchObject({
      email: 'fresh@example.com',
      first_name: 'Fresh',
    });
    expect(ticketByReference(store, 'T-ANON')?.customer_id).toBe(anonymousId);
    const newcomer = customerByEmail(store, 'new@example.com');
    expect(ticketByReference(store, 'T-NEWCUSTOMER')?.customer_id).toBe(newcomer?.id);
    expect(searchRowids(store, 'fresh')).toEqual([store.first(sql.selectFrom('customers').select('search_rowid').where('id', '=', anonymousId))!.search_rowid]);

    const audit = store.all(
      sql.selectFrom('audit_log').select(['operation', 'entity', 'entity_id', 'before', 'after']).orderBy('id').offset(auditBefore).limit(100),
    );
    // One entry per customer the rows touched (Anna's two consecutive rows make one), holding the
    // profile change and the tickets the customer gained.
    expect(audit.map((entry) => [entry.entity, entry.entity_id, entry.operation])).toEqual([
      ['customer', annaId, 'import.customers@2'],
      ['customer', anonymousId, 'import.customers@2'],
      ['customer', newcomer!.id, 'import.customers@2'],
    ]);
    expect(JSON.parse(audit[0]!.before!)).toEqual({ lastName: null });
    expect(JSON.parse(audit[0]!.after!)).toEqual({ lastName: 'de Vries', ticketsAssigned: ['T-FREE'] });
    expect(JSON.parse(audit[1]!.after!)).toEqual({ email: 'fresh@example.com', firstName: 'Fresh' });
    expect(audit[2]!.before).toBeNull();
    expect(JSON.parse(audit[2]!.after!)).toEqual({ email: 'new@example.com', firstName: 'New', ticketsAssigned: ['T-NEWCUSTOMER'] });
  });

  it('treats rows with the same email as one customer, across batches too', async () => {
    for (const batchSize of [1000, 1]) {
      const { store, core } = setup();
      const text = 'email,first name,ticket\nsam@example.com,Sam,T-1\nsam@example.com,,T-2\nsam@example.com,Sam,T-2\nother@example.com,,T-1\n';
      const result = await importOk(core, { source: { text }, batchSize });
      // Row 3 gives Sam (new two rows up) a second ticket: an update of a customer who existed.
      expect(result).toMatchObject({ imported: 1, updated: 1, unchanged: 1 });
      expect(result.warnings).toEqual([
        { row: 3, message: 'The email sam@example.com is also on row 2: this row was added to the same customer' },
        { row: 4, message: 'The email sam@example.com is also on row 2: this row was added to the same customer' },
      ]);
      expect(reasons(result)).toEqual([
        { row: 5, reason: 'ticketReference: ticket T-1 belongs to another customer (sam@example.com); it was not moved' },
      ]);
      const sam = customerByEmail(store, 'sam@example.com');
      expect(ticketByReference(store, 'T-1')?.customer_id).toBe(sam?.id);
      expect(ticketByReference(store, 'T-2')?.customer_id).toBe(sam?.id);
      expect(count(store, 'customers')).toBe(1);
    }
  });

  it('finds ticket types by name ignoring case, and refuses deleted ones', async () => {
    const { store, core, eventId } = setup();
    const retiredId = insertTicketType(store, eventId, 'Retired');
    store.run(sql.updateTable('ticket_types').set({ deleted_at: '2026-05-01T00:00:00.000Z' }).where('id', '=', retiredId));
    const text = 'email,ticket,ticket type\na@example.com,T-1,WEEKEND\nd@example.com,T-4,Retired\n';
    const result = await importOk(core, { source: { text }, createTicketTypes: true });
    expect(result.createdTicketTypes).toEqual([]);
    expect(reasons(result)).toEqual([{ row: 3, reason: 'ticketType: ticket type "Retired" was deleted from this event' }]);
    expect(ticketByReference(store, 'T-1')?.type).toBe('Weekend');
  });
});

describe('import.customers: unknown ticket types', () => {
  /** An event with a validity window, a VIP gate only VIP tickets use, and a main gate for all. */
  function gatedSetup() {
    const context = setup();
    const { store, eventId } = context;
    const vipId = insertTicketType(store, eventId, 'VIP');
    store.run(sql.updateTable('ticket_types').set({ gate_ids: JSON.stringify(['gate-main', 'gate-vip']) }).where('id', '=', vipId));
    store.run(sql.updateTable('ticket_types').set({ gate_ids: JSON.stringify(['gate-main']) }).where('id', '=', context.weekendId));
    return { ...context, vipId };
  }
  const typos = 'email,ticket,ticket type\na@example.com,T-1,Wekend\nb@example.com,T-2,wekend\nc@example.com,T-3,Backstage\nd@example.com,T-4,Weekend\n';

  it('rejects rows of a type the event lacks, naming it with the closest type, and lists it (dry run alike)', async () => {
    const { store, core } = gatedSetup();
    const before = snapshot(store);
    for (const dryRun of [true, false]) {
      const result = await importOk(core, { source: { text: typos }, dryRun });
      expect(result).toMatchObject({ imported: 1, createdTicketTypes: [] });
      expect(result.unknownTicketTypes).toEqual([
        { name: 'Wekend', rows: 2, suggestion: 'Weekend' },
        { name: 'Backstage', rows: 1, suggestion: null },
      ]);
      expect(reasons(result)[0]).toEqual({
        row: 2,
        reason: 'ticketType: "Wekend" is not a ticket type of this event (did you mean "Weekend"?); choose an existing type for it or create it, and import these rows again',
      });
      expect(result.rejected.map((rejection) => rejection.row)).toEqual([2, 3, 4]);
    }
    expect(snapshot(store).ticket_types).toEqual(before.ticket_types);
  });

  it('imports an unknown type as the existing type staff chose, and creates the one they chose to create', async () => {
    const { store, core, eventId } = gatedSetup();
    const result = await importOk(core, {
      source: { text: typos },
      ticketTypeChoices: [{ name: 'WEKEND', mapTo: 'weekend' }, { name: 'Backstage', create: true }],
    });
    expect(result).toMatchObject({ imported: 4, rejected: [], unknownTicketTypes: [], createdTicketTypes: ['Backstage'] });
    expect(ticketByReference(store, 'T-1')?.type).toBe('Weekend');
    expect(ticketByReference(store, 'T-2')?.type).toBe('Weekend');
    // A created type is valid only while the event runs, and only at the gates every type may use.
    const created = store.first(sql.selectFrom('ticket_types').selectAll().where('name', '=', 'Backstage'));
    expect(created).toMatchObject({ event_id: eventId, valid_from: '2026-07-10T10:00:00.000Z', valid_until: '2026-07-12T23:00:00.000Z', gate_ids: '["gate-main"]' });
  });

  it('creates every unknown type with createTicketTypes (the CLI\'s --create-types)', async () => {
    const { store, core } = gatedSetup();
    const result = await importOk(core, { source: { text: typos }, createTicketTypes: true });
    expect(result).toMatchObject({ imported: 4, rejected: [], createdTicketTypes: ['Wekend', 'Backstage'] });
    expect(count(store, 'ticket_types')).toBe(4);
  });

  it('refuses a choice naming a type the event does not have, before writing anything', async () => {
    const { store, core } = gatedSetup();
    const before = snapshot(store);
    const result = await core.invoke('import.customers', { source: { text: typos }, ticketTypeChoices: [{ name: 'Wekend', mapTo: 'Weekday' }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'ticketTypeChoices' } });
    if (!result.ok) expect(result.error.message).toMatch(/^"Weekday", chosen for "Wekend", is not a ticket type of this event \(its types: .*Weekend.*\)$/);
    expect(snapshot(store)).toEqual(before);
  });
});

describe('import.customers: repeated e-mails and internationalised addresses', () => {
  it('rejects a later row giving the same e-mail to another person, naming the first row', async () => {
    const { store, core } = setup();
    const text = 'email,first name,ticket\nsam@example.com,Sam,T-1\nSAM@example.com,Samantha,T-2\n';
    const result = await importOk(core, { source: { text } });
    expect(result).toMatchObject({ imported: 1, updated: 0 });
    expect(reasons(result)).toEqual([
      { row: 3, reason: 'email: sam@example.com is also on row 2, with another first name ("Sam" there, "Samantha" here); one address cannot hold two people, so this row was not imported' },
    ]);
    expect(customerByEmail(store, 'sam@example.com')?.first_name).toBe('Sam');
  });

  it('imports chloé.martin@… and IDN domains', async () => {
    const { store, core } = setup();
    const text = 'email,ticket\nchloé.martin@example.fr,T-1\nivan@пример.рф,T-2\n';
    const result = await importOk(core, { source: { text } });
    expect(result).toMatchObject({ imported: 2, rejected: [] });
    expect(customerByEmail(store, 'chloé.martin@example.fr')).toBeDefined();
  });
});

describe('import.customers: counts', () => {
  it('counts a known customer whose name changed and who gained a ticket as updated, not imported', async () => {
    const { store, core } = setup();
    insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna', last_name: 'Berg' });
    const text = 'email,first name,last name,ticket\nanna@example.com,Anna,de Vries,T-9\nnew@example.com,New,,T-10\n';
    const result = await importOk(core, { source: { text } });
    expect(result).toMatchObject({ imported: 1, updated: 1, unchanged: 0 });
  });
});

describe('import.customers: durability', () => {
  it('commits every batch with synchronous=FULL, so "done" means on disk', async () => {
    const { store, core } = setup();
    // A temporary trigger records the connection's synchronous level as each batch's outbox row is written.
    store.db.exec(`CREATE TEMP TABLE sync_levels (level INTEGER);
      CREATE TEMP TRIGGER record_sync_level AFTER INSERT ON main.outbox BEGIN
        INSERT INTO sync_levels SELECT synchronous FROM pragma_synchronous;
      END;`);
    await importOk(core, { source: { text: 'email,ticket\na@example.com,T-1\nb@example.com,T-2\nc@example.com,T-3\n' }, batchSize: 2 });
    const levels = store.db.prepare('SELECT level FROM sync_levels').all() as { level: number }[];
    // 2 = FULL (1 = NORMAL, the connection's default): the WAL is synced at each batch's commit.
    expect(levels.map((row) => row.level)).toEqual([2, 2]);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
  });
});

describe('import.customers: writing', () => {
  it('writes one transaction and one outbox row per batch, with an audit entry per customer', async () => {
    const { store, core, eventId } = setup();
    const text = 'email,ticket\na@example.com,T-1\nb@example.com,T-2\nc@example.com,T-3\n';
    await importOk(core, { source: { text }, batchSize: 2 });
    const outbox = store.all(sql.selectFrom('outbox').selectAll().orderBy('seq'));
    expect(outbox.map((row) => [row.name, row.version, row.seq])).toEqual([
      ['import.customers', 2, 1],
      ['import.customers', 2, 2],
    ]);
    expect(JSON.parse(outbox[0]!.args)).toEqual({
      eventId,
      ticketTypes: { mapTo: {}, create: [], createAny: false },
      rows: [
        { row: 2, email: 'a@example.com', firstName: null, lastName: null, phone: null, postcode: null, address: null, city: null, country: null, gender: null, ticketReference: 'T-1', ticketType: null },
        { row: 3, email: 'b@example.com', firstName: null, lastName: null, phone: null, postcode: null, address: null, city: null, country: null, gender: null, ticketReference: 'T-2', ticketType: null },
      ],
      // What this terminal decided, for the server's run to compare with (import-conflicts.ts).
      firstPlan: { newCustomerRows: [0, 1], rejectedRows: [] },
    });
    const audit = store.all(sql.selectFrom('audit_log').select(['entity', 'command_id', 'operator']).orderBy('id'));
    expect(audit.map((entry) => entry.entity)).toEqual(['ticket_type', 'customer', 'customer', 'customer']);
    expect(new Set(audit.slice(0, 3).map((entry) => entry.command_id))).toEqual(new Set([outbox[0]!.id]));
    expect(audit[3]!.command_id).toBe(outbox[1]!.id);
    expect(audit.every((entry) => entry.operator === 'operator-1')).toBe(true);
  });

  it('re-importing the same file changes nothing and writes nothing', async () => {
    const { store, core } = setup();
    await importOk(core, { source: { path: fixture('customers-comma.csv') }, createTicketTypes: true });
    await importOk(core, { source: { path: fixture('customers-with-errors.csv') } });
    const before = snapshot(store);
    const searchBefore = searchRowids(store, 'anna OR bob OR good OR second');

    const again = await importOk(core, { source: { path: fixture('customers-comma.csv') } });
    expect(again).toMatchObject({ rowsRead: 3, imported: 0, updated: 0, unchanged: 3, rejected: [], createdTicketTypes: [] });
    const errorsAgain = await importOk(core, { source: { path: fixture('customers-with-errors.csv') }, batchSize: 2 });
    // Row 6 imported thief@example.com with TCK-HELD the first time (no holder in this store).
    expect(errorsAgain).toMatchObject({ imported: 0, updated: 0, unchanged: 3 });
    expect(snapshot(store)).toEqual(before);
    expect(searchRowids(store, 'anna OR bob OR good OR second')).toEqual(searchBefore);
  });

  it('writes an outbox row only for batches that changed something', async () => {
    const { store, core } = setup();
    await importOk(core, { source: { text: 'email,ticket\na@example.com,T-1\n' } });
    const outboxBefore = count(store, 'outbox');
    await importOk(core, { source: { text: 'email,ticket\na@example.com,T-1\nb@example.com,T-2\n' }, batchSize: 1 });
    expect(count(store, 'outbox')).toBe(outboxBefore + 1);
  });
});

describe('import.customers: dry run', () => {
  const mixed = [
    'email,first name,last name,ticket,ticket type',
    'anna@example.com,Anna,de Vries,T-1,Weekend',
    'anna@example.com,,,T-2,Day',
    'existing@example.com,,Known,,',
    'existing@example.com,,Known,T-3,day',
    'bad-email,,,T-4,',
    ',,,T-HELD,',
    'thief@example.com,,,T-HELD,',
    'anna@example.com,Anna,de Vries,T-1,',
    'nobody@example.com,,,,',
    ',Anon,,T-5,',
  ].join('\r\n');

  function mixedSetup() {
    const context = setup();
    const holder = insertTestCustomer(context.store, { email: 'holder@example.com' });
    insertTestCustomer(context.store, { email: 'existing@example.com' });
    insertTicket(context.store, { eventId: context.eventId, ticketTypeId: context.weekendId, reference: 'T-HELD', customerId: holder });
    return context;
  }

  it.each([1000, 3, 1])('counts exactly what a real run does and writes nothing (batch size %i)', async (batchSize) => {
    const { store, core } = mixedSetup();
    const before = snapshot(store);
    const choices = { ticketTypeChoices: [{ name: 'day', create: true as const }], batchSize };
    const dry = await importOk(core, { source: { text: mixed }, dryRun: true, ...choices });
    expect(snapshot(store)).toEqual(before);

    const real = await importOk(core, { source: { text: mixed }, ...choices });
    expect({ ...dry, dryRun: false }).toEqual(real);
    // New: Anna (row 2) and the anonymous T-5 holder. Updated: Anna's second ticket (row 3), the
    // existing customer's last name (row 4) and ticket (row 5). Unchanged: rows 7 and 9.
    expect(real).toMatchObject({ rowsRead: 10, imported: 2, updated: 3, unchanged: 2, createdTicketTypes: ['Day', 'General admission'] });
    expect(real.rejected.map((rejection) => rejection.row)).toEqual([6, 8, 10]);
  });

  it('on a fresh data folder says an event would be created, without creating it', async () => {
    const { store, core } = createTestCore();
    const before = snapshot(store);
    const dry = await importOk(core, { source: { path: fixture('customers-comma.csv') }, dryRun: true });
    expect(dry).toMatchObject({ eventId: null, eventCreated: true, dryRun: true, imported: 3 });
    expect(dry.createdTicketTypes).toEqual(['Weekend', 'Day ticket', 'General admission']);
    expect(snapshot(store)).toEqual(before);
  });
});

describe('import.customers: event', () => {
  it('creates an event on a fresh data folder', async () => {
    const { store, core } = createTestCore();
    const result = await importOk(core, { source: { path: fixture('customers-comma.csv') } });
    expect(result).toMatchObject({ eventCreated: true, imported: 3, createdTicketTypes: ['Weekend', 'Day ticket', 'General admission'] });
    const event = store.first(sql.selectFrom('events').selectAll());
    expect(event).toMatchObject({ id: result.eventId, name: 'Imported event', currency: 'EUR', time_zone: 'UTC' });
    expect(ticketByReference(store, 'TCK-1001')?.event_id).toBe(result.eventId);
    expect(store.all(sql.selectFrom('outbox').select('name').orderBy('seq')).map((row) => row.name)).toEqual([
      'import.createEvent',
      'import.customers',
    ]);
    expect(store.first(sql.selectFrom('audit_log').select('entity').where('entity_id', '=', result.eventId!))?.entity).toBe('event');
  });

  it('creates no event when no row can be imported', async () => {
    const { store, core } = createTestCore();
    const result = await importOk(core, { source: { text: 'email,ticket\nbad,T-1\n' } });
    expect(result).toMatchObject({ eventId: null, eventCreated: false, rejected: [{ row: 2, reason: 'email: Invalid email address', cells: ['bad', 'T-1'] }] });
    expect(count(store, 'events')).toBe(0);
  });

  it('imports into the chosen event among several, and refuses to guess', async () => {
    const { store, core } = createTestCore();
    insertEvent(store, { name: 'Spring' });
    const autumn = insertEvent(store, { name: 'Autumn' });
    const text = 'email,ticket\na@example.com,T-1\n';
    const before = snapshot(store);

    const guess = await core.invoke('import.customers', { source: { text } });
    expect(guess).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'eventId' } });
    const unknown = await core.invoke('import.customers', { source: { text }, eventId: 'no-such-event' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'eventId' } });
    expect(snapshot(store)).toEqual(before);

    const result = await importOk(core, { source: { text }, eventId: autumn });
    expect(result).toMatchObject({ eventId: autumn, eventCreated: false, imported: 1, createdTicketTypes: ['General admission'] });
    expect(ticketByReference(store, 'T-1')?.event_id).toBe(autumn);
  });

  it('matches ticket references within the event only', async () => {
    const { store, core, weekendId, eventId } = setup();
    const other = insertEvent(store, { name: 'Other' });
    const otherType = insertTicketType(store, other, 'Weekend');
    const holder = insertTestCustomer(store, { email: 'holder@example.com' });
    insertTicket(store, { eventId: other, ticketTypeId: otherType, reference: 'T-1', customerId: holder });
    const result = await importOk(core, { source: { text: 'email,ticket,type\na@example.com,T-1,weekend\n' }, eventId });
    expect(result).toMatchObject({ imported: 1, rejected: [], createdTicketTypes: [] });
    const tickets = store.all(sql.selectFrom('tickets').select(['event_id', 'customer_id', 'ticket_type_id']).where('reference', '=', 'T-1').orderBy('event_id'));
    expect(tickets).toHaveLength(2);
    expect(tickets.find((ticket) => ticket.event_id === other)?.customer_id).toBe(holder);
    expect(tickets.find((ticket) => ticket.event_id === eventId)).toEqual({
      event_id: eventId,
      customer_id: customerByEmail(store, 'a@example.com')?.id,
      ticket_type_id: weekendId,
    });
  });
});

describe('import.customers: progress', () => {
  it('emits a progress event after each batch and a final one with done', async () => {
    const { core } = setup();
    const events: ImportProgressEvent[] = [];
    core.subscribe((event) => {
      if (event.type === 'import.progress') events.push(event);
    });
    const path = fixture('customers-with-errors.csv');
    await importOk(core, { source: { path }, batchSize: 3 });

    const size = statSync(path).size;
    expect(events.map((event) => [event.rowsRead, event.imported, event.rejected, event.done])).toEqual([
      [3, 1, 2, false],
      [6, 2, 4, false],
      [8, 3, 5, false],
      [8, 3, 5, true],
    ]);
    expect(new Set(events.map((event) => event.jobId)).size).toBe(1);
    expect(events.every((event) => event.type === 'import.progress' && event.bytesTotal === size)).toBe(true);
    expect(events.every((event) => event.bytesRead <= size)).toBe(true);
    expect(events.at(-1)!.bytesRead).toBe(size);
  });

  it('measures text sources in characters', async () => {
    const { core } = setup();
    const events: ImportProgressEvent[] = [];
    core.subscribe((event) => {
      if (event.type === 'import.progress') events.push(event);
    });
    const text = 'email,first name,ticket\nzoë@example.com,Zoë,T-1\n';
    await importOk(core, { source: { text } });
    expect(events.at(-1)).toMatchObject({ bytesRead: text.length, bytesTotal: text.length, done: true });
  });
});
