import { describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import { auditRows, expectError, expectOk, insertWebUser, outboxRows, searchMatches } from '../../test/fixtures/commands.ts';
import { createTestCore, insertEvent, insertTestCustomer, insertTicket, insertTicketType } from '../../test/fixtures/store.ts';
import { applyEnvelope } from '../commands/command.ts';
import type { Envelope } from '../commands/envelope.ts';
import { formatHlc } from '../terminal/hlc.ts';
import { createAccount } from './account.ts';
import { updateCustomer } from './profile.ts';

/**
 * The conflict rules of customers decided in the command bodies (DESIGN.md section 6): per-field
 * last writer wins by HLC, and e-mails as natural keys. Here on one terminal, with rows as another
 * terminal's later edit or the server's match would have left them; server/sync/conflicts-b.test.ts
 * plays the same with two terminals and a server.
 */

/** A stamp later than anything this terminal's clock gives in a test: another terminal's later edit. */
const later = formatHlc({ wallMs: Date.parse('2030-01-01T00:00:00.000Z'), counter: 0 }, 'other-terminal');
const at = '2026-05-01T09:00:00.000Z';

function customer(store: Store, id: string) {
  return store.first(sql.selectFrom('customers').selectAll().where('id', '=', id))!;
}

function stampFields(store: Store, id: string, stamps: Record<string, string>) {
  store.run(sql.updateTable('customers').set({ field_hlcs: JSON.stringify(stamps) }).where('id', '=', id));
}

/** A customer created on another terminal with this customer's e-mail, matched to it by the server. */
function insertMergedCustomer(store: Store, mergedInto: string, email: string): string {
  const id = insertTestCustomer(store, { email: null, first_name: 'Twin' });
  store.run(sql.updateTable('customers').set({ email, deleted_at: at, merged_into: mergedInto }).where('id', '=', id));
  return id;
}

describe('last writer wins per field', () => {
  it('stamps each field an edit writes with its HLC', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna' });
    expectOk(await core.invoke('customers.update', { customerId: id, firstName: 'Annie', city: 'Delft' }));
    const { hlc } = outboxRows(store)[0]!;
    expect(JSON.parse(customer(store, id).field_hlcs)).toEqual({ city: hlc, first_name: hlc });
    expectOk(await core.invoke('customers.update', { customerId: id, city: 'Leiden' }));
    const second = outboxRows(store)[1]!.hlc;
    expect(JSON.parse(customer(store, id).field_hlcs)).toEqual({ city: second, first_name: hlc });
  });

  it('leaves a field a later edit wrote, applies the others, and keeps both edits in the audit log', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna', phone: '0612345678' });
    stampFields(store, id, { phone: later });
    expectOk(await core.invoke('customers.update', { customerId: id, phone: '0687654321', city: 'Delft' }));
    expect(customer(store, id)).toMatchObject({ phone: '0612345678', city: 'Delft' });
    expect(JSON.parse(customer(store, id).field_hlcs)).toEqual({ phone: later, city: outboxRows(store)[0]!.hlc });
    expect(auditRows(store)).toMatchObject([{ before: { city: null }, after: { city: 'Delft', notApplied: { phone: '0687654321' } } }]);
  });

  it('records an edit that lost every field, writing nothing else', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com', last_name: 'Berg' });
    stampFields(store, id, { last_name: later, email: later });
    const before = customer(store, id);
    expectOk(await core.invoke('customers.update', { customerId: id, lastName: 'Bergström', email: 'anna.b@example.com' }));
    expect(customer(store, id)).toEqual(before);
    expect(searchMatches(store, 'name:"berg"')).toEqual([id]);
    expect(auditRows(store)).toMatchObject([{ before: {}, after: { notApplied: { lastName: 'Bergström', email: 'anna.b@example.com' } } }]);
    // The losing edit still travels: the server must record it too.
    expect(outboxRows(store)).toHaveLength(1);
  });

  it('checks the e-mail rules only for an e-mail the edit writes', async () => {
    const { store, core } = createTestCore();
    insertTestCustomer(store, { email: 'bob@example.com' });
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    stampFields(store, id, { email: later });
    // Bob's address, but a later edit holds Anna's e-mail: nothing to refuse, the city applies.
    expectOk(await core.invoke('customers.update', { customerId: id, email: 'bob@example.com', city: 'Delft' }));
    expect(customer(store, id)).toMatchObject({ email: 'anna@example.com', city: 'Delft' });
  });

  it('holds for the internal note and the web user link too', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    const webUser = insertWebUser(store, { email: 'anna.web@example.com' });
    expectOk(await core.invoke('customers.setDescription', { customerId: id, description: 'First note' }));
    stampFields(store, id, { description: later, web_user_id: later });
    expectOk(await core.invoke('customers.setDescription', { customerId: id, description: 'Second note' }));
    expectOk(await core.invoke('customers.connectWebUser', { customerId: id, webUserId: webUser }));
    expect(customer(store, id)).toMatchObject({ description: 'First note', web_user_id: null });
    expect(auditRows(store).slice(1)).toMatchObject([
      { before: {}, after: { notApplied: { description: 'Second note' } } },
      { before: {}, after: { notApplied: { webUser: { id: webUser, email: 'anna.web@example.com' } } } },
    ]);
    const card = expectOk(await core.invoke('customers.card', { customerId: id }));
    expect(card.history[0]).toMatchObject({
      action: 'Web user connected: not applied, changed later elsewhere',
      changes: [{ field: 'Not applied', before: '—', after: 'Web user: anna.web@example.com' }],
    });
  });

  it('holds for a label or an alternative e-mail added again or removed later elsewhere', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    const { labelId } = expectOk(await core.invoke('customers.addLabel', { customerId: id, label: 'VIP' }));
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'work@example.com' }));
    // Another terminal took the label off and added the e-mail again, later.
    store.run(sql.updateTable('customer_labels').set({ hlc: later }));
    store.run(sql.updateTable('customer_emails').set({ hlc: later }));
    expectOk(await core.invoke('customers.removeLabel', { customerId: id, labelId }));
    expectOk(await core.invoke('customers.removeAlternativeEmail', { customerId: id, email: 'work@example.com' }));
    expect(store.all(sql.selectFrom('customer_labels').select(['deleted_at', 'hlc']))).toEqual([{ deleted_at: null, hlc: later }]);
    expect(store.all(sql.selectFrom('customer_emails').select(['deleted_at', 'hlc']))).toEqual([{ deleted_at: null, hlc: later }]);
    // Entries: the label created, the label added, the e-mail added, then the two changes not applied.
    expect(auditRows(store).slice(3).map((row) => row.after)).toEqual([{ notApplied: { labelRemoved: 'VIP' } }, { notApplied: { alternativeEmailRemoved: 'work@example.com' } }]);

    // Removed later elsewhere: adding again leaves them removed.
    store.run(sql.updateTable('customer_labels').set({ deleted_at: at }));
    store.run(sql.updateTable('customer_emails').set({ deleted_at: at }));
    expectOk(await core.invoke('customers.addLabel', { customerId: id, label: 'VIP' }));
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'work@example.com' }));
    expect(store.all(sql.selectFrom('customer_labels').select(['deleted_at']))).toEqual([{ deleted_at: at }]);
    expect(store.all(sql.selectFrom('customer_emails').select(['deleted_at']))).toEqual([{ deleted_at: at }]);
  });

  it('stamps adds and removals of labels and alternative e-mails with their HLC', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'anna@example.com' });
    const { labelId } = expectOk(await core.invoke('customers.addLabel', { customerId: id, label: 'VIP' }));
    expectOk(await core.invoke('customers.removeLabel', { customerId: id, labelId }));
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: id, email: 'work@example.com' }));
    const hlcs = outboxRows(store).map((row) => row.hlc);
    expect(store.first(sql.selectFrom('customer_labels').select('hlc'))).toEqual({ hlc: hlcs[1] });
    expect(store.first(sql.selectFrom('customer_emails').select('hlc'))).toEqual({ hlc: hlcs[2] });
  });
});

describe('e-mails as natural keys', () => {
  it('refuses an address another customer holds as alternative e-mail, for a new account, an edit or an alternative e-mail', async () => {
    const { store, core } = createTestCore();
    const bob = insertTestCustomer(store, { email: 'bob@example.com', first_name: 'Bob' });
    const anna = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna' });
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: bob, email: 'bob.work@example.com' }));
    const before = store.all(sql.selectFrom('customers').selectAll());
    const message = 'Email bob.work@example.com is already an alternative email of Bob';
    expect(expectError(await core.invoke('customers.createAccount', { email: 'bob.work@example.com' }), 'CONFLICT', 'email').message).toBe(message);
    expect(expectError(await core.invoke('customers.update', { customerId: anna, email: 'bob.work@example.com' }), 'CONFLICT', 'email').message).toBe(message);
    expect(expectError(await core.invoke('customers.addAlternativeEmail', { customerId: anna, email: 'bob.work@example.com' }), 'CONFLICT', 'email').message).toBe(message);
    expect(expectError(await core.invoke('customers.addAlternativeEmail', { customerId: anna, email: 'bob@example.com' }), 'CONFLICT', 'email').message).toBe(
      'Email bob@example.com is already the main email of Bob',
    );
    expect(store.all(sql.selectFrom('customers').selectAll())).toEqual(before);
  });

  it('matches an account created elsewhere with a known address to its holder: a tombstone naming it, empty fields filled', () => {
    const { store } = createTestCore();
    const anna = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna' });
    stampFields(store, anna, { city: later });
    // What the server (or a rebase) runs: the envelope another terminal wrote while it did not know Anna.
    const envelope: Envelope = {
      id: '01970000-0000-7000-8000-000000000001',
      deviceId: 'terminal-b',
      seq: 1,
      name: 'customers.createAccount',
      version: 1,
      args: { email: 'anna@example.com', firstName: 'Annie', lastName: 'Berg', city: 'Delft' },
      hlc: formatHlc({ wallMs: Date.parse('2026-06-01T09:00:00.000Z'), counter: 0 }, 'terminal-b'),
      at: '2026-06-01T09:00:00.000Z',
      operator: 'operator-2',
      eventId: null,
    };
    const created = '01970000-0000-7000-8000-000000000000';
    expect(applyEnvelope(store, createAccount, envelope)).toEqual({ customerId: anna });
    expect(customer(store, anna)).toMatchObject({ first_name: 'Anna', last_name: 'Berg', city: null, deleted_at: null, merged_into: null });
    expect(customer(store, created)).toMatchObject({ email: 'anna@example.com', first_name: 'Annie', deleted_at: envelope.at, merged_into: anna });
    expect(auditRows(store)).toMatchObject([
      { entity_id: anna, before: { lastName: null }, after: { lastName: 'Berg', matchedByEmail: 'anna@example.com' } },
      { entity_id: created, after: { matchedByEmail: 'anna@example.com', mergedInto: anna } },
    ]);
    expect(searchMatches(store, 'name:"berg"')).toEqual([anna]);

    // A later edit naming the created id edits Anna.
    const edit: Envelope = { ...envelope, id: '01970000-0000-7000-8000-000000000100', seq: 2, name: 'customers.update', args: { customerId: created, phone: '0612345678' } };
    expect(applyEnvelope(store, updateCustomer, edit)).toEqual({ customerId: anna });
    expect(customer(store, anna).phone).toBe('0612345678');
  });

  it('lets every command, the card and the resolver naming a merged customer act on the customer it was matched to', async () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    insertTicket(store, { eventId, ticketTypeId: insertTicketType(store, eventId), reference: 'TCK-1', customerId: null });
    const anna = insertTestCustomer(store, { email: 'anna@example.com', first_name: 'Anna' });
    const twin = insertMergedCustomer(store, anna, 'anna@example.com');
    expectOk(await core.invoke('customers.update', { customerId: twin, city: 'Delft' }));
    expectOk(await core.invoke('customers.setDescription', { customerId: twin, description: 'Prefers e-mail' }));
    expectOk(await core.invoke('customers.addLabel', { customerId: twin, label: 'VIP' }));
    expectOk(await core.invoke('customers.addAlternativeEmail', { customerId: twin, email: 'work@example.com' }));
    expect(expectOk(await core.invoke('tickets.assign', { customerId: twin, references: ['TCK-1'] })).assigned).toHaveLength(1);
    expect(customer(store, anna)).toMatchObject({ city: 'Delft', description: 'Prefers e-mail' });
    expect(store.all(sql.selectFrom('customer_labels').select('customer_id'))).toEqual([{ customer_id: anna }]);
    expect(store.all(sql.selectFrom('tickets').select('customer_id'))).toEqual([{ customer_id: anna }]);
    const card = expectOk(await core.invoke('customers.card', { customerId: twin }));
    expect(card.profile).toMatchObject({ id: anna, firstName: 'Anna' });
    expect(expectOk(await core.invoke('customers.resolve', { key: twin }))).toEqual({ customerId: anna, matchedBy: 'id' });
  });

  it('keeps a deleted customer that was not merged NOT_FOUND', async () => {
    const { store, core } = createTestCore();
    const id = insertTestCustomer(store, { email: 'gone@example.com' });
    store.run(sql.updateTable('customers').set({ deleted_at: at }).where('id', '=', id));
    expectError(await core.invoke('customers.update', { customerId: id, city: 'Delft' }), 'NOT_FOUND', 'customerId');
  });
});
