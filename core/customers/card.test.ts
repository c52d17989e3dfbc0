import { beforeEach, describe, expect, it } from 'vitest';
import { sql, type Store } from '../../db/store.ts';
import {
  createTestCore,
  insertEvent,
  insertLedgerEntry,
  insertOrder,
  insertTag,
  insertTestCustomer,
  insertTicket,
  insertTicketType,
  snapshot,
} from '../../test/fixtures/store.ts';
import {
  addAlternativeEmail,
  insertAuditEntry,
  insertGate,
  insertScan,
  insertWebUser,
  invokeError,
  invokeOk,
  labelCustomer,
  planOf,
  recordStatements,
  updateCustomerRow,
} from '../../test/fixtures/customer-reads.ts';
import { historyLimit } from './card.ts';

type Core = ReturnType<typeof createTestCore>['core'];

interface Fixture {
  store: Store;
  core: Core;
  customerId: string;
  otherCustomerId: string;
  summer: string;
  winter: string;
  orders: Record<'paid' | 'online' | 'reserved' | 'canceled' | 'deleted' | 'refunded', string>;
  tickets: Record<'used' | 'refunded' | 'banned', string>;
  tags: Record<'active' | 'banned', string>;
  gates: Record<'north' | 'south', string>;
  webUserId: string;
}

function buildFixture(): Fixture {
  const { store, core } = createTestCore();
  const summer = insertEvent(store, { name: 'Summer Festival' });
  const winter = insertEvent(store, { name: 'Winter Gala', currency: 'GBP' });
  store.run(sql.updateTable('events').set({ time_zone: 'Europe/London' }).where('id', '=', winter));
  const weekend = insertTicketType(store, summer, 'Weekend');
  const gala = insertTicketType(store, winter, 'Gala');
  const customerId = insertTestCustomer(store, {
    email: 'anna.berg@example.com',
    first_name: 'Anna',
    last_name: 'Berg',
    phone: '+31 6 1234 5678',
    postcode: '1011 AB',
    address: 'Damrak 1',
    city: 'Amsterdam',
    country: 'NL',
    gender: 'female',
  });
  const otherCustomerId = insertTestCustomer(store, { email: 'other@example.com', first_name: 'Other' });
  const webUserId = insertWebUser(store, { email: 'anna@portal.example', firstName: 'Anna', lastName: 'B.' });
  updateCustomerRow(store, customerId, { web_user_id: webUserId, description: 'Prefers e-mail', verification_status: 'verified' });
  labelCustomer(store, customerId, 'VIP', '#d4af37');
  labelCustomer(store, customerId, 'Press');
  labelCustomer(store, otherCustomerId, 'Crew');
  addAlternativeEmail(store, customerId, 'anna@work.nl');
  addAlternativeEmail(store, customerId, 'a.berg@home.nl');

  const order = (values: Parameters<typeof insertOrder>[1]) => insertOrder(store, values);
  const orders = {
    paid: order({ eventId: summer, customerId, number: 'S-1', total: 5000, createdAt: '2026-05-01T10:00:00.000Z' }),
    online: order({
      eventId: winter,
      customerId,
      number: 'W-1',
      total: 2500,
      channel: 'online',
      createdAt: '2026-05-03T10:00:00.000Z',
      description: 'Gala ticket',
    }),
    reserved: order({ eventId: summer, customerId, number: 'S-2', total: 1000, status: 'reserved', createdAt: '2026-05-04T10:00:00.000Z' }),
    canceled: order({ eventId: summer, customerId, number: 'S-3', total: 700, status: 'canceled', createdAt: '2026-05-05T10:00:00.000Z' }),
    deleted: order({ eventId: summer, customerId, number: 'S-4', total: 9999, deleted: true, createdAt: '2026-05-06T10:00:00.000Z' }),
    refunded: order({
      eventId: summer,
      customerId,
      number: 'S-5',
      total: 3000,
      status: 'item_refunded',
      createdAt: '2026-05-07T10:00:00.000Z',
    }),
  };
  // A second item on the first order, and another customer's order that must not show.
  store.run(
    sql.insertInto('order_items').values({
      id: 'item-extra',
      order_id: orders.paid,
      catalog_item_id: null,
      description: 'Tokens',
      quantity: 10,
      unit_price: 0,
      created_at: '2026-05-01T10:00:01.000Z',
    }),
  );
  order({ eventId: summer, customerId: otherCustomerId, number: 'S-9', total: 123 });

  insertLedgerEntry(store, { customerId, kind: 'credit', amount: 1000 });
  insertLedgerEntry(store, { customerId, kind: 'credit', amount: -250 });
  insertLedgerEntry(store, { customerId, kind: 'virtual_credit', amount: 300 });
  insertLedgerEntry(store, { customerId, kind: 'token', amount: 5 });
  insertLedgerEntry(store, { customerId: otherCustomerId, kind: 'token', amount: 99 });

  const gates = {
    north: insertGate(store, { eventId: summer, name: 'North', zone: 'Festival grounds' }),
    south: insertGate(store, { eventId: summer, name: 'South' }),
  };
  const tickets = {
    used: insertTicket(store, { eventId: summer, ticketTypeId: weekend, reference: 'TCK-1', customerId, orderId: orders.paid }),
    refunded: insertTicket(store, { eventId: winter, ticketTypeId: gala, reference: 'TCK-2', customerId, invalidReason: 'refunded' }),
    banned: insertTicket(store, { eventId: summer, ticketTypeId: weekend, reference: 'TCK-3', customerId, banned: true, redeemed: true }),
  };
  insertTicket(store, { eventId: summer, ticketTypeId: weekend, reference: 'TCK-9', customerId: otherCustomerId });
  insertScan(store, { eventId: summer, ticketId: tickets.used, at: '2026-07-10T12:00:00.000Z', gateId: gates.north });
  insertScan(store, {
    eventId: summer,
    ticketId: tickets.used,
    at: '2026-07-10T13:00:00.000Z',
    gateId: gates.north,
    verdict: 'rejected',
    reason: 'already_inside',
  });
  insertScan(store, { eventId: summer, ticketId: tickets.used, at: '2026-07-10T15:00:00.000Z', gateId: gates.south, direction: 'exit' });

  const tags = {
    active: insertTag(store, { eventId: summer, ticketTypeId: weekend, customerId, uid: '04A224B2C33F80', active: true }),
    banned: insertTag(store, { eventId: summer, ticketTypeId: weekend, customerId, uid: '04A224B2', banned: true }),
  };
  store.run(sql.updateTable('tags').set({ inactive_reason: 'replaced' }).where('id', '=', tags.banned));
  insertTag(store, { eventId: summer, ticketTypeId: weekend, customerId: otherCustomerId, uid: '04FFFFFF' });

  insertAuditEntry(store, { entity: 'customer', entityId: customerId, at: '2026-06-01T10:00:00.000Z', operation: 'customers.update@1', before: { city: null, gender: 'male' }, after: { city: 'Amsterdam', gender: 'non-binary' } });
  insertAuditEntry(store, { entity: 'ticket', entityId: tickets.banned, at: '2026-06-02T10:00:00.000Z', before: { banned: false }, after: { banned: true }, operator: 'supervisor' });
  insertAuditEntry(store, { entity: 'tag', entityId: tags.banned, at: '2026-06-03T10:00:00.000Z', operation: 'tags.setBanned@1' });
  insertAuditEntry(store, { entity: 'customer', entityId: otherCustomerId, at: '2026-06-04T10:00:00.000Z' });
  insertAuditEntry(store, { entity: 'order', entityId: orders.paid, at: '2026-06-05T10:00:00.000Z' });

  return { store, core, customerId, otherCustomerId, summer, winter, orders, tickets, tags, gates, webUserId };
}

describe('customers.card', () => {
  let fixture: Fixture;

  beforeEach(() => {
    fixture = buildFixture();
  });

  const card = (input: Record<string, unknown> = {}) =>
    invokeOk(fixture.core, 'customers.card', { customerId: fixture.customerId, ...input });

  it('shows the profile, alternative e-mails, labels and web user', async () => {
    const value = await card();
    expect(value.profile).toEqual({
      id: fixture.customerId,
      email: 'anna.berg@example.com',
      firstName: 'Anna',
      lastName: 'Berg',
      phone: '+31 6 1234 5678',
      postcode: '1011 AB',
      address: 'Damrak 1',
      city: 'Amsterdam',
      country: 'NL',
      gender: 'female',
      verificationStatus: 'verified',
      description: 'Prefers e-mail',
      createdAt: '2026-05-01T09:00:00.000Z',
      updatedAt: '2026-05-01T09:00:00.000Z',
      anonymous: false,
      displayName: 'Anna Berg',
    });
    expect(value.alternativeEmails).toEqual(['a.berg@home.nl', 'anna@work.nl']);
    expect(value.labels).toEqual([
      { id: expect.any(String), name: 'Press', color: null },
      { id: expect.any(String), name: 'VIP', color: '#d4af37' },
    ]);
    expect(value.webUser).toEqual({ id: fixture.webUserId, email: 'anna@portal.example', firstName: 'Anna', lastName: 'B.' });
  });

  it('totals paid orders, counts real orders and sums the ledger', async () => {
    const value = await card();
    expect(value.totals).toEqual({
      amountSpent: 7500,
      orderCount: 3,
      averageOrderValue: 2500,
      balances: { credit: 750, virtual_credit: 300, token: 5 },
      currency: 'EUR',
    });
    const row = fixture.store.first(sql.selectFrom('customers').select('total_spent').where('id', '=', fixture.customerId));
    expect(value.totals.amountSpent).toBe(row?.total_spent);
  });

  it('rounds the average order value to whole minor units', async () => {
    insertOrder(fixture.store, { eventId: fixture.summer, customerId: fixture.customerId, number: 'S-6', total: 1 });
    // (7500 + 1) / 4 = 1875.25
    expect((await card()).totals.averageOrderValue).toBe(1875);
  });

  it('lists the purchases newest first, without deleted orders', async () => {
    const { timeline } = await card();
    expect(timeline.map((entry) => entry.number)).toEqual(['S-5', 'S-3', 'S-2', 'W-1', 'S-1']);
    expect(timeline.at(-1)).toEqual({
      orderId: fixture.orders.paid,
      number: 'S-1',
      at: '2026-05-01T10:00:00.000Z',
      channel: 'box_office',
      status: 'paid',
      total: 5000,
      items: [
        { description: 'Weekend ticket', quantity: 1, unitPrice: 5000 },
        { description: 'Tokens', quantity: 10, unitPrice: 0 },
      ],
      timeZone: 'Europe/Amsterdam',
    });
    expect(timeline[3]).toMatchObject({
      channel: 'online',
      items: [{ description: 'Gala ticket', quantity: 1, unitPrice: 2500 }],
      timeZone: 'Europe/London',
    });
  });

  it('shows order cards as sold or reserved, with their event', async () => {
    const { orders, events } = await card();
    expect(orders.map((order) => [order.number, order.kind])).toEqual([
      ['S-5', 'sold'],
      ['S-3', 'sold'],
      ['S-2', 'reserved'],
      ['W-1', 'sold'],
      ['S-1', 'sold'],
    ]);
    expect(orders.find((order) => order.number === 'W-1')).toEqual({
      id: fixture.orders.online,
      number: 'W-1',
      eventId: fixture.winter,
      eventName: 'Winter Gala',
      channel: 'online',
      status: 'paid',
      kind: 'sold',
      total: 2500,
      amountPaid: 2500,
      createdAt: '2026-05-03T10:00:00.000Z',
      deletedAt: null,
      items: [{ description: 'Gala ticket', quantity: 1, unitPrice: 2500 }],
      timeZone: 'Europe/London',
      statusHistory: [{ status: 'paid', at: '2026-05-03T10:00:00.000Z', note: null }],
      tickets: [],
      giftCards: [],
    });
    expect(events).toEqual([
      { id: fixture.summer, name: 'Summer Festival', startsAt: '2026-07-10T10:00:00.000Z' },
      { id: fixture.winter, name: 'Winter Gala', startsAt: '2026-07-10T10:00:00.000Z' },
    ]);
  });

  it('filters orders by event, and the totals use that event currency', async () => {
    const value = await card({ orderEventId: fixture.winter });
    expect(value.orders.map((order) => order.number)).toEqual(['W-1']);
    expect(value.totals.currency).toBe('GBP');
    // The filter is for the order cards only: totals and timeline stay whole.
    expect(value.totals.amountSpent).toBe(7500);
    expect(value.timeline).toHaveLength(5);
    expect((await card({ orderEventId: null })).orders).toHaveLength(5);
  });

  it('shows only the deleted orders when asked, also per event', async () => {
    const deleted = await card({ deletedOrders: true });
    expect(deleted.orders).toEqual([
      expect.objectContaining({ id: fixture.orders.deleted, number: 'S-4', deletedAt: '2026-05-06T10:00:00.000Z', kind: 'sold' }),
    ]);
    expect(deleted.orders[0]!.items).toEqual([{ description: 'Weekend ticket', quantity: 1, unitPrice: 9999 }]);
    expect((await card({ deletedOrders: true, orderEventId: fixture.winter })).orders).toEqual([]);
  });

  it('shows tickets with status, use, last scan and scan count', async () => {
    const { tickets } = await card();
    expect(tickets).toEqual([
      {
        id: fixture.tickets.used,
        reference: 'TCK-1',
        eventId: fixture.summer,
        ticketTypeId: expect.any(String),
        ticketType: 'Weekend',
        status: 'valid',
        invalidReason: null,
        used: true,
        redeemed: false,
        banned: false,
        lastScan: { at: '2026-07-10T15:00:00.000Z', gate: 'South', direction: 'exit', verdict: 'admitted' },
        scanCount: 3,
        orderId: fixture.orders.paid,
        credentialStatus: { code: 'used', label: 'Valid Used', tone: 'good' },
        timeZone: 'Europe/Amsterdam',
      },
      expect.objectContaining({
        id: fixture.tickets.refunded,
        reference: 'TCK-2',
        ticketType: 'Gala',
        status: 'invalid',
        invalidReason: 'refunded',
        used: false,
        lastScan: null,
        scanCount: 0,
        orderId: null,
        credentialStatus: { code: 'refunded', label: 'Invalid: refunded', tone: 'bad' },
        timeZone: 'Europe/London',
      }),
      // Banned and redeemed: the ban decides, as at the gate (never a "Valid Un-used" pill).
      expect.objectContaining({
        id: fixture.tickets.banned,
        reference: 'TCK-3',
        banned: true,
        redeemed: true,
        used: false,
        credentialStatus: { code: 'banned', label: 'Banned', tone: 'bad' },
      }),
    ]);
  });

  it('shows each order in detail: its status timeline and the tickets it issued', async () => {
    const { store } = fixture;
    store.run(
      sql.insertInto('order_status_history').values({
        id: 'history-refund',
        order_id: fixture.orders.paid,
        status: 'item_refunded',
        note: 'One ticket refunded',
        operator: 'supervisor',
        device_id: null,
        at: '2026-05-02T08:00:00.000Z',
      }),
    );
    const paid = (await card()).orders.find((order) => order.number === 'S-1')!;
    expect(paid.statusHistory).toEqual([
      { status: 'paid', at: '2026-05-01T10:00:00.000Z', note: null },
      { status: 'item_refunded', at: '2026-05-02T08:00:00.000Z', note: 'One ticket refunded' },
    ]);
    expect(paid.tickets).toEqual([{ reference: 'TCK-1', ticketType: 'Weekend', credentialStatus: { code: 'used', label: 'Valid Used', tone: 'good' } }]);
  });

  it('shows a last scan at no gate', async () => {
    insertScan(fixture.store, { eventId: fixture.summer, ticketId: fixture.tickets.banned, at: '2026-07-11T09:00:00.000Z', verdict: 'rejected', reason: 'banned' });
    const ticket = (await card()).tickets.find((entry) => entry.id === fixture.tickets.banned)!;
    expect(ticket.lastScan).toEqual({ at: '2026-07-11T09:00:00.000Z', gate: null, direction: 'entry', verdict: 'rejected' });
    expect(ticket.used).toBe(false);
    expect(ticket.scanCount).toBe(1);
  });

  it('shows tags with their state', async () => {
    const { tags } = await card();
    expect(tags).toEqual([
      {
        id: fixture.tags.active,
        uid: '04A224B2C33F80',
        eventId: fixture.summer,
        ticketTypeId: expect.any(String),
        ticketType: 'Weekend',
        active: true,
        banned: false,
        inactiveReason: null,
        createdAt: '2026-05-01T09:00:00.000Z',
        credentialStatus: { code: 'active', label: 'Active', tone: 'good' },
        timeZone: 'Europe/Amsterdam',
      },
      expect.objectContaining({
        id: fixture.tags.banned,
        uid: '04A224B2',
        active: false,
        banned: true,
        inactiveReason: 'replaced',
        credentialStatus: { code: 'banned', label: 'Banned', tone: 'bad' },
      }),
    ]);
  });

  it('says a banned active tag is banned, not active', async () => {
    fixture.store.run(sql.updateTable('tags').set({ banned: 1 }).where('id', '=', fixture.tags.active));
    const tag = (await card()).tags.find((entry) => entry.id === fixture.tags.active)!;
    expect(tag.credentialStatus).toEqual({ code: 'banned', label: 'Banned (still the active tag)', tone: 'bad' });
  });

  it('shows who changed the customer, its tickets and its tags, newest first, in words', async () => {
    // Two events and none chosen: the card names UTC rather than guess; the chosen event's zone otherwise.
    expect((await card()).timeZone).toBe('UTC');
    fixture.store.run(sql.insertInto('terminal_state').values({ key: 'event_id', value: fixture.winter }));
    expect((await card()).timeZone).toBe('Europe/London');
    expect((await card({ orderEventId: fixture.summer })).timeZone).toBe('Europe/Amsterdam');
    const { history } = await card();
    expect(history).toEqual([
      {
        at: '2026-06-05T10:00:00.000Z',
        who: 'operator-1',
        action: 'Ticket banned',
        subject: 'Order S-1',
        changes: [],
        operator: 'operator-1',
        operation: 'tickets.setBanned@1',
        entity: 'order',
        entityId: fixture.orders.paid,
      },
      expect.objectContaining({ who: 'operator-1', action: 'Tag banned', subject: 'Tag 04:A2:24:B2', changes: [] }),
      expect.objectContaining({
        who: 'supervisor',
        action: 'Ticket banned',
        subject: 'Ticket TCK-3',
        changes: [{ field: 'Banned', before: 'no', after: 'yes' }],
      }),
      expect.objectContaining({
        action: 'Profile edited',
        subject: 'Customer profile',
        changes: [
          { field: 'City', before: '—', after: 'Amsterdam' },
          // Stored choices read as the form offers them.
          { field: 'Gender', before: 'Male', after: 'Non-binary' },
        ],
      }),
    ]);
  });

  it('names the things a change points at instead of their ids, and never shows "cli" or a device id', async () => {
    const { store, customerId, tickets, tags, gates, orders } = fixture;
    const weekend = store.first(sql.selectFrom('ticket_types').select('id').where('name', '=', 'Weekend'))!.id;
    store.run(sql.insertInto('terminal_state').values({ key: 'device_id', value: 'desk-device' }));
    insertAuditEntry(store, {
      entity: 'tag',
      entityId: tags.active,
      at: '2026-06-10T10:00:00.000Z',
      operation: 'tags.activateForTicket@1',
      operator: 'cli',
      after: { uid: '04A224B2C33F80', customerId, ticketTypeId: weekend, ticketId: tickets.used, eventId: fixture.summer, active: true },
    });
    insertAuditEntry(store, {
      entity: 'ticket',
      entityId: tickets.used,
      at: '2026-06-11T10:00:00.000Z',
      operation: 'tickets.assign@1',
      before: { customerId: null, orderId: null },
      after: { customerId, orderId: orders.paid, gateIds: [gates.north, gates.south], ticketTypeId: 'not-synced-yet' },
    });
    store.run(sql.updateTable('audit_log').set({ operator: null, device_id: 'gate-device' }).where('operation', '=', 'tickets.assign@1'));
    insertAuditEntry(store, {
      entity: 'customer',
      entityId: customerId,
      at: '2026-06-12T10:00:00.000Z',
      operation: 'tags.replace@1',
      before: { totalSpent: 5000, labels: [] },
      after: { totalSpent: 7550, labels: [{ id: 'l-1', name: 'VIP' }] },
    });
    store.run(sql.updateTable('audit_log').set({ operator: null }).where('operation', '=', 'tags.replace@1'));

    const [replaced, assigned, activated] = (await card()).history;
    expect(activated).toMatchObject({
      who: 'this terminal (command line)',
      action: 'Wristband activated for a ticket',
      subject: 'Tag 04:A2:24:B2:C3:3F:80',
      changes: [
        { field: 'Tag UID', before: '—', after: '04:A2:24:B2:C3:3F:80' },
        { field: 'Customer', before: '—', after: 'Anna Berg' },
        { field: 'Ticket type', before: '—', after: 'Weekend' },
        { field: 'Ticket', before: '—', after: 'ticket TCK-1' },
        { field: 'Event', before: '—', after: 'Summer Festival' },
        { field: 'Active', before: '—', after: 'yes' },
      ],
    });
    expect(assigned).toMatchObject({
      who: 'another terminal',
      action: 'Ticket assigned',
      subject: 'Ticket TCK-1',
      changes: [
        { field: 'Customer', before: '—', after: 'Anna Berg' },
        { field: 'Order', before: '—', after: 'order S-1' },
        { field: 'Gates', before: '—', after: 'North, South' },
        { field: 'Ticket type', before: '—', after: 'a ticket type not on this terminal' },
      ],
    });
    expect(replaced).toMatchObject({
      who: 'this terminal',
      action: 'Lost wristband replaced',
      changes: [
        { field: 'Total spent', before: '€50.00', after: '€75.50' },
        { field: 'Labels', before: '—', after: 'VIP' },
      ],
    });
    const shown = JSON.stringify((await card()).history.map(({ who, action, subject, changes }) => ({ who, action, subject, changes })));
    for (const id of [customerId, tickets.used, tags.active, gates.north, orders.paid, weekend, 'desk-device', 'gate-device']) {
      expect(shown).not.toContain(id);
    }
    expect(shown).not.toMatch(/\bcli\b|tickets\.assign|tags\.replace/);
  });

  it(`keeps the latest ${historyLimit} history entries`, async () => {
    for (let index = 0; index < historyLimit + 20; index++) {
      const at = new Date(Date.parse('2026-08-01T00:00:00.000Z') + index * 1000).toISOString();
      insertAuditEntry(fixture.store, { entity: 'customer', entityId: fixture.customerId, at });
    }
    const { history } = await card();
    expect(history).toHaveLength(historyLimit);
    expect(history[0]!.at).toBe(new Date(Date.parse('2026-08-01T00:00:00.000Z') + (historyLimit + 19) * 1000).toISOString());
    expect(history.map((entry) => entry.at)).toEqual([...history.map((entry) => entry.at)].sort().reverse());
  });

  it('shows an anonymous customer, with the only event currency', async () => {
    const { store, core } = createTestCore();
    insertEvent(store, { currency: 'CHF' });
    const anonymous = insertTestCustomer(store, {});
    const value = await invokeOk(core, 'customers.card', { customerId: anonymous });
    expect(value.profile).toMatchObject({ anonymous: true, displayName: 'Anonymous customer', email: null, firstName: null });
    expect(value).toMatchObject({
      alternativeEmails: [],
      labels: [],
      webUser: null,
      timeline: [],
      tickets: [],
      tags: [],
      orders: [],
      events: [],
      history: [],
      totals: { amountSpent: 0, orderCount: 0, averageOrderValue: 0, balances: { credit: 0, virtual_credit: 0, token: 0 }, currency: 'CHF' },
    });
  });

  it('names a customer with only an e-mail by it, and uses EUR with no event', async () => {
    const { store, core } = createTestCore();
    const emailOnly = insertTestCustomer(store, { email: 'x@example.com' });
    const value = await invokeOk(core, 'customers.card', { customerId: emailOnly });
    expect(value.profile).toMatchObject({ anonymous: false, displayName: 'x@example.com' });
    expect(value.totals.currency).toBe('EUR');
  });

  it('refuses unknown, deleted or malformed ids and changes nothing', async () => {
    const before = snapshot(fixture.store);
    expect(await invokeError(fixture.core, 'customers.card', { customerId: 'no-such-customer' })).toEqual({
      code: 'NOT_FOUND',
      message: 'This customer is not on this terminal',
      field: 'customerId',
    });
    expect(await invokeError(fixture.core, 'customers.card', { customerId: fixture.customerId, orderEventId: 'no-such-event' })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'orderEventId',
    });
    expect(await invokeError(fixture.core, 'customers.card', { customerId: '' })).toMatchObject({ code: 'VALIDATION', field: 'customerId' });
    expect(await invokeError(fixture.core, 'customers.card', { customerId: 7 })).toMatchObject({ code: 'VALIDATION', field: 'customerId' });
    expect(await invokeError(fixture.core, 'customers.card', { customerId: fixture.customerId, deletedOrders: 'yes' })).toMatchObject({
      field: 'deletedOrders',
    });
    expect(snapshot(fixture.store)).toEqual(before);

    updateCustomerRow(fixture.store, fixture.otherCustomerId, { deleted_at: '2026-05-09T00:00:00.000Z' });
    expect(await invokeError(fixture.core, 'customers.card', { customerId: fixture.otherCustomerId })).toMatchObject({
      code: 'NOT_FOUND',
      field: 'customerId',
      message: expect.stringContaining('was deleted'),
    });
  });

  it('reads every section through an index', async () => {
    const statements = await recordStatements(fixture.store, () => card({ orderEventId: fixture.summer }));
    expect(statements.length).toBeGreaterThan(8);
    for (const text of statements) {
      for (const line of planOf(fixture.store, text)) {
        // events is the only table read whole: a handful of rows.
        if (line.startsWith('SCAN ')) expect(line, text).toMatch(/^SCAN events\b/);
      }
    }
  });
});
