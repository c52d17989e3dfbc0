import { describe, expect, it } from 'vitest';
import { cardFixture, createFakeHost, ok, settle } from '../test-support/fake-host.ts';
import { actionKeys, createCustomerCardStore, parseReferences } from './customer-card-store.ts';

function cardHost() {
  let card = cardFixture();
  const host = createFakeHost({
    'customers.card': () => ok(card),
    'tickets.setBanned': (input) => {
      const { ticketId, banned } = input as { ticketId: string; banned: boolean };
      card = { ...card, tickets: card.tickets.map((ticket) => (ticket.id === ticketId ? { ...ticket, banned } : ticket)) };
      return ok({ ticketId, redeemed: false, banned });
    },
  });
  return host;
}

describe('customer card store', () => {
  it('opens a card and passes the order filters to customers.card', async () => {
    const host = cardHost();
    const store = createCustomerCardStore(host.client);
    const opening = store.getState().open('c-1');
    expect(store.getState().phase).toBe('loading');
    await opening;
    expect(store.getState().phase).toBe('ready');
    expect(store.getState().card?.profile.displayName).toBe('Anna Berg');
    await store.getState().setOrderEvent('e-2');
    await store.getState().setDeletedOrders(true);
    expect(host.callsTo('customers.card')).toEqual([
      { customerId: 'c-1', orderEventId: null, deletedOrders: false },
      { customerId: 'c-1', orderEventId: 'e-2', deletedOrders: false },
      { customerId: 'c-1', orderEventId: 'e-2', deletedOrders: true },
    ]);
  });

  it('a toggle calls its command, then shows what the host stored', async () => {
    const host = cardHost();
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-1');
    const toggling = store.getState().setTicketBanned('t-1', true);
    expect(store.getState().pending[actionKeys.ticketBanned('t-1')]).toBe(true);
    expect(await toggling).toBe(true);
    expect(host.callsTo('tickets.setBanned')).toEqual([{ ticketId: 't-1', banned: true }]);
    expect(store.getState().card?.tickets[0]?.banned).toBe(true);
    expect(store.getState().pending).toEqual({});
    expect(host.callsTo('customers.card')).toHaveLength(2);
  });

  it('keeps a refused action\'s error under that action only, with its field, and does not reload', async () => {
    const host = cardHost();
    host.answer('customers.update', () => ({
      ok: false,
      error: { code: 'CONFLICT', message: 'Email anna@other.example is already the main email of Bo Lind', field: 'email' },
    }));
    host.answer('tickets.setRedeemed', () => ({ ok: false, error: { code: 'CONFLICT', message: 'Ticket BO-1 is canceled: it cannot be redeemed' } }));
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-1');
    expect(await store.getState().updateProfile({ email: 'anna@other.example' })).toBe(false);
    expect(await store.getState().setTicketRedeemed('t-1', true)).toBe(false);
    const { errors } = store.getState();
    expect(errors[actionKeys.profile]).toEqual({ code: 'CONFLICT', message: 'Email anna@other.example is already the main email of Bo Lind', field: 'email' });
    expect(errors[actionKeys.ticketRedeemed('t-1')]?.message).toBe('Ticket BO-1 is canceled: it cannot be redeemed');
    expect(errors[actionKeys.ticketBanned('t-1')]).toBeUndefined();
    expect(host.callsTo('customers.card')).toHaveLength(1);
    expect(host.callsTo('customers.update')).toEqual([{ customerId: 'c-1', email: 'anna@other.example' }]);
    store.getState().clearError(actionKeys.profile);
    expect(store.getState().errors[actionKeys.profile]).toBeUndefined();
  });

  it('clears an action\'s old error when it is tried again and succeeds', async () => {
    const host = cardHost();
    let refuse = true;
    host.answer('customers.setDescription', () =>
      refuse ? { ok: false, error: { code: 'VALIDATION', message: 'description: Description is longer than 2000 characters', field: 'description' } } : ok({ customerId: 'c-1' }),
    );
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-1');
    await store.getState().setDescription('x'.repeat(2001));
    expect(store.getState().errors[actionKeys.description]?.field).toBe('description');
    refuse = false;
    expect(await store.getState().setDescription('Wheelchair user')).toBe(true);
    expect(store.getState().errors[actionKeys.description]).toBeUndefined();
  });

  it('shows only the card opened last when an older card answers late', async () => {
    const host = cardHost();
    const store = createCustomerCardStore(host.client);
    const slow = host.hold('customers.card');
    const first = store.getState().open('c-old');
    await slow.started;
    await store.getState().open('c-1');
    slow.resolve(ok(cardFixture({ profile: { ...cardFixture().profile, id: 'c-old', displayName: 'Old' } })));
    await first;
    expect(store.getState().customerId).toBe('c-1');
    expect(store.getState().card?.profile.displayName).toBe('Anna Berg');
  });

  it('an unknown customer shows the host message as the load error', async () => {
    const host = createFakeHost({
      'customers.card': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'This customer is not on this terminal', field: 'customerId' } }),
    });
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-x');
    expect(store.getState().phase).toBe('error');
    expect(store.getState().errors[actionKeys.load]?.message).toBe('This customer is not on this terminal');
  });

  it('assigns tickets, tags and labels for the open customer', async () => {
    const host = cardHost();
    host.answer('tickets.assign', () => ok({ assigned: ['t-2'], unchanged: [] }));
    host.answer('tags.assign', () => ok({ tagId: 'g-1', active: true }));
    host.answer('customers.addLabel', () => ok({ customerId: 'c-1', labelId: 'l-1' }));
    host.answer('labels.list', () => ok({ labels: [{ id: 'l-1', name: 'VIP', color: null, customerCount: 3 }] }));
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-1');
    expect(await store.getState().assignTickets(['BO-2', 'BO-3'])).toBe(true);
    expect(await store.getState().assignTag({ uid: '04:a2:24:b2', ticketTypeId: 'tt-weekend', makeActive: true })).toBe(true);
    expect(await store.getState().addLabel('VIP')).toBe(true);
    await settle();
    expect(host.callsTo('tickets.assign')).toEqual([{ customerId: 'c-1', references: ['BO-2', 'BO-3'] }]);
    expect(host.callsTo('tags.assign')).toEqual([{ customerId: 'c-1', uid: '04:a2:24:b2', ticketTypeId: 'tt-weekend', makeActive: true }]);
    expect(host.callsTo('customers.addLabel')).toEqual([{ customerId: 'c-1', label: 'VIP' }]);
    expect(store.getState().labelSuggestions.map((label) => label.name)).toEqual(['VIP']);
  });

  it('keeps the reference the host names when one ticket of a list is refused', async () => {
    const host = cardHost();
    host.answer('tickets.assign', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No ticket with reference BO-9', field: 'references.1' } }));
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-1');
    expect(await store.getState().assignTickets(['BO-2', 'BO-9'])).toBe(false);
    expect(store.getState().errors[actionKeys.assignTickets]).toEqual({ code: 'NOT_FOUND', message: 'No ticket with reference BO-9', field: 'references.1' });
  });

  it('searches web users, ignoring stale answers, and connects the chosen one', async () => {
    const host = cardHost();
    host.answer('webUsers.search', (input) => ok({ webUsers: [{ id: `w-${(input as { query: string }).query}`, email: 'a@b.example', firstName: null, lastName: null, phone: null }] }));
    host.answer('customers.connectWebUser', () => ok({ customerId: 'c-1' }));
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-1');
    const slow = host.hold('webUsers.search');
    const first = store.getState().searchWebUsers('an');
    await slow.started;
    await store.getState().searchWebUsers('anna');
    slow.resolve(ok({ webUsers: [] }));
    await first;
    expect(store.getState().webUserSearch.results.map((user) => user.id)).toEqual(['w-anna']);
    expect(await store.getState().connectWebUser('w-anna')).toBe(true);
    expect(host.callsTo('customers.connectWebUser')).toEqual([{ customerId: 'c-1', webUserId: 'w-anna' }]);
    expect(store.getState().webUserSearch.phase).toBe('idle');
    await store.getState().searchWebUsers('   ');
    expect(host.callsTo('webUsers.search')).toHaveLength(2);
  });

  it('opens a ticket\'s scan history and keeps its error in the dialog', async () => {
    const host = cardHost();
    host.answer('tickets.scanHistory', (input) =>
      (input as { ticketId: string }).ticketId === 't-1'
        ? ok({ ticket: { id: 't-1', reference: 'BO-1' }, scans: [] })
        : { ok: false, error: { code: 'NOT_FOUND', message: 'No ticket with id t-9', field: 'ticketId' } },
    );
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-1');
    await store.getState().openScanHistory('t-1');
    expect(store.getState().scanHistory).toMatchObject({ ticketId: 't-1', phase: 'ready', history: { ticket: { reference: 'BO-1' } } });
    await store.getState().openScanHistory('t-9');
    expect(store.getState().scanHistory?.phase).toBe('error');
    expect(store.getState().errors[actionKeys.scanHistory]?.message).toBe('No ticket with id t-9');
    store.getState().closeScanHistory();
    expect(store.getState().scanHistory).toBeNull();
    expect(store.getState().errors[actionKeys.scanHistory]).toBeUndefined();
  });

  it('returns the CSV file to download, or keeps the error', async () => {
    const host = cardHost();
    host.answer('export.customerCsv', () => ok({ fileName: 'customer-anna-berg.csv', csv: '\uFEFFsection,field\r\n' }));
    host.answer('export.creditHistoryCsv', () => ({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside Box Office' } }));
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-1');
    expect(await store.getState().exportCustomerCsv()).toEqual({ fileName: 'customer-anna-berg.csv', csv: '\uFEFFsection,field\r\n' });
    expect(await store.getState().exportCreditHistoryCsv()).toBeNull();
    expect(store.getState().errors[actionKeys.creditHistoryCsv]?.message).toBe('Something went wrong inside Box Office');
    expect(host.callsTo('export.customerCsv')).toEqual([{ customerId: 'c-1' }]);
  });

  it('makes a tag active, bans it and removes labels and alternative emails by id', async () => {
    const host = cardHost();
    host.answer('tags.makeActive', () => ok({ tagId: 'g-1', active: true, banned: false }));
    host.answer('tags.setBanned', () => ok({ tagId: 'g-1', active: true, banned: true }));
    host.answer('customers.removeLabel', () => ok({ customerId: 'c-1', labelId: 'l-1' }));
    host.answer('customers.removeAlternativeEmail', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'x@y.example is not an alternative email of Anna Berg', field: 'email' } }));
    host.answer('customers.disconnectWebUser', () => ok({ customerId: 'c-1' }));
    const store = createCustomerCardStore(host.client);
    await store.getState().open('c-1');
    expect(await store.getState().makeTagActive('g-1')).toBe(true);
    expect(await store.getState().setTagBanned('g-1', true)).toBe(true);
    expect(await store.getState().removeLabel('l-1')).toBe(true);
    expect(await store.getState().disconnectWebUser()).toBe(true);
    expect(await store.getState().removeAlternativeEmail('x@y.example')).toBe(false);
    expect(store.getState().errors[actionKeys.removeAlternativeEmail('x@y.example')]?.message).toContain('not an alternative email');
    expect(host.callsTo('tags.setBanned')).toEqual([{ tagId: 'g-1', banned: true }]);
    expect(host.callsTo('customers.removeLabel')).toEqual([{ customerId: 'c-1', labelId: 'l-1' }]);
  });
});

describe('parseReferences', () => {
  it('takes one reference per line, comma or semicolon, trimmed, blanks dropped', () => {
    expect(parseReferences(' BO-1 \nBO-2,BO-3;\n\n BO 4 ')).toEqual(['BO-1', 'BO-2', 'BO-3', 'BO 4']);
    expect(parseReferences('  \n ')).toEqual([]);
  });
});
