import { preparedQuery, sql, type Store } from '../../db/store.ts';
import type { InvalidReason, LedgerKind, OrderStatus } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { findEvent } from '../events/current.ts';
import { tagStatus } from '../tags/tag-status.ts';
import { ticketStatus } from '../tickets/ticket-status.ts';
import { cardHistory } from './card-history.ts';
import { displayName } from './display-name.ts';
import type { CustomerCard, CustomerCardInput } from './customers.contract.ts';
import { alternativeEmailsOf } from './search.ts';

/**
 * The customer card (seeds 000, 001, 002, 004). Every section is one indexed lookup by the
 * customer's id (or by the ids of its orders, tickets and tags), so opening a card costs the same
 * at 500 customers as at 500,000.
 *
 * Each lookup is a prepared query (db/store.ts), built and compiled once: the card's statements
 * themselves run in ~0.12 ms, and building and compiling its 16 kysely queries on every call took
 * about twice that again (core p50 0.43 ms against 0.10 ms for the raw baseline; the garbage it
 * left and the longer window for the scheduler to preempt it put p95 at 0.9–5.1 ms, 5–28 times the
 * raw one). Prepared, a card takes 0.09 ms at p50 and 0.14–0.18 ms at p95, 1.2–1.35 times the raw
 * one (bench/customers.bench.ts at BENCH_SCALE=0.1, three alternated runs at a load of 4–5 on 2 CPUs).
 */

/** Orders that never became a purchase: left out of the order count (seed 002 statuses). */
const uncountedStatuses: ReadonlySet<OrderStatus> = new Set(['reserved', 'expired', 'canceled']);

export { historyLimit } from './card-history.ts';
const defaultCurrency = 'EUR';
/** With no event to take it from, times are shown (and named) in UTC rather than guessed. */
const defaultTimeZone = 'UTC';

type OrderItem = CustomerCard['orders'][number]['items'][number];

const customerById = preparedQuery((id: string) => sql.selectFrom('customers').selectAll().where('id', '=', id));

const eventById = preparedQuery((eventId: string) => sql.selectFrom('events').select(['id', 'currency', 'time_zone']).where('id', '=', eventId));

const ordersOf = preparedQuery((customerId: string) =>
  sql
    .selectFrom('orders')
    .innerJoin('events', 'events.id', 'orders.event_id')
    .select([
      'orders.id',
      'orders.number',
      'orders.event_id',
      'events.name as event_name',
      'events.starts_at as event_starts_at',
      'events.time_zone',
      'orders.channel',
      'orders.status',
      'orders.total',
      'orders.amount_paid',
      'orders.created_at',
      'orders.deleted_at',
    ])
    .where('orders.customer_id', '=', customerId)
    .orderBy('orders.created_at', 'desc')
    .orderBy('orders.id', 'desc'),
);

const terminalValue = preparedQuery((key: string) => sql.selectFrom('terminal_state').select('value').where('key', '=', key));

const labelsOf = preparedQuery((customerId: string) =>
  sql
    .selectFrom('customer_labels')
    .innerJoin('labels', 'labels.id', 'customer_labels.label_id')
    .select(['labels.id', 'labels.name', 'labels.color'])
    .where('customer_labels.customer_id', '=', customerId)
    .where('customer_labels.deleted_at', 'is', null)
    .orderBy('labels.name'),
);

/**
 * One read transaction for the whole card: every section comes from the same snapshot while the
 * import and sync workers write through their own connections, and SQLite takes its read lock once
 * instead of once per statement (the card's 16 statements ran in 0.09–0.11 ms instead of
 * 0.15–0.17 ms; a card through the core 0.11–0.13 ms instead of 0.13–0.15 ms at p50).
 */
export function customerCard(store: Store, input: CustomerCardInput): CustomerCard {
  return store.transaction(() => readCard(store, input));
}

function readCard(store: Store, input: CustomerCardInput): CustomerCard {
  let customer = customerById.first(store, input.customerId);
  if (!customer) throw notFound('This customer is not on this terminal', 'customerId');
  // A customer matched to an earlier one by e-mail (email-match.ts) is that customer: its card.
  if (customer.deleted_at !== null && customer.merged_into !== null) customer = customerById.first(store, customer.merged_into) ?? customer;
  if (customer.deleted_at !== null) {
    throw notFound(`Customer ${input.customerId} was deleted on ${customer.deleted_at}`, 'customerId');
  }
  const filterEvent = input.orderEventId ? eventById.first(store, input.orderEventId) : undefined;
  if (input.orderEventId && !filterEvent) throw notFound('The chosen event is not on this terminal', 'orderEventId');

  const orders = ordersOf.all(store, customer.id);
  const itemsByOrder = orderItems(store, customer.id);
  const detailsByOrder = orderDetails(store, customer.id);
  const cardEvent = filterEvent ?? findEvent(store);
  const currency = cardEvent?.currency ?? defaultCurrency;
  const timeZone = cardEvent?.time_zone ?? defaultTimeZone;
  // Read, never created: a query must not write (DESIGN.md section 5).
  const thisDeviceId = terminalValue.first(store, 'device_id')?.value ?? null;
  const liveOrders = orders.filter((order) => order.deleted_at === null);

  const amountSpent = liveOrders.reduce((sum, order) => (order.status === 'paid' ? sum + order.total : sum), 0);
  const orderCount = liveOrders.filter((order) => !uncountedStatuses.has(order.status)).length;

  const events = new Map<string, { id: string; name: string; startsAt: string | null }>();
  for (const order of orders) {
    events.set(order.event_id, { id: order.event_id, name: order.event_name, startsAt: order.event_starts_at });
  }

  const anonymous = customer.email === null && customer.first_name === null && customer.last_name === null;
  return {
    profile: {
      id: customer.id,
      email: customer.email,
      firstName: customer.first_name,
      lastName: customer.last_name,
      phone: customer.phone,
      postcode: customer.postcode,
      address: customer.address,
      city: customer.city,
      country: customer.country,
      gender: customer.gender,
      verificationStatus: customer.verification_status,
      description: customer.description,
      createdAt: customer.created_at,
      updatedAt: customer.updated_at,
      anonymous,
      displayName: displayName({ firstName: customer.first_name, lastName: customer.last_name, email: customer.email }),
    },
    alternativeEmails: store.all(alternativeEmailsOf.with(customer.id)).map((row) => row.email),
    labels: labelsOf.all(store, customer.id),
    webUser: webUser(store, customer.web_user_id),
    totals: {
      amountSpent,
      orderCount,
      averageOrderValue: orderCount === 0 ? 0 : Math.round(amountSpent / orderCount),
      balances: balances(store, customer.id),
      currency,
    },
    timeline: liveOrders.map((order) => ({
      orderId: order.id,
      number: order.number,
      at: order.created_at,
      channel: order.channel,
      status: order.status,
      total: order.total,
      items: itemsByOrder.get(order.id) ?? [],
      timeZone: order.time_zone,
    })),
    tickets: tickets(store, customer.id),
    tags: tags(store, customer.id),
    orders: orders
      .filter((order) => (order.deleted_at !== null) === input.deletedOrders)
      .filter((order) => !input.orderEventId || order.event_id === input.orderEventId)
      .map((order) => ({
        id: order.id,
        number: order.number,
        eventId: order.event_id,
        eventName: order.event_name,
        channel: order.channel,
        status: order.status,
        kind: order.status === 'reserved' ? ('reserved' as const) : ('sold' as const),
        total: order.total,
        amountPaid: order.amount_paid,
        createdAt: order.created_at,
        deletedAt: order.deleted_at,
        items: itemsByOrder.get(order.id) ?? [],
        timeZone: order.time_zone,
        statusHistory: detailsByOrder.statusHistory.get(order.id) ?? [],
        tickets: detailsByOrder.tickets.get(order.id) ?? [],
        giftCards: detailsByOrder.giftCards.get(order.id) ?? [],
      })),
    events: [...events.values()].sort(
      (a, b) => (a.startsAt ?? '').localeCompare(b.startsAt ?? '') || a.name.localeCompare(b.name),
    ),
    history: cardHistory(store, customer.id, currency, thisDeviceId),
    timeZone,
    thisDeviceId,
  };
}

type OrderDetail = CustomerCard['orders'][number];

const orderStatusesOf = preparedQuery((customerId: string) =>
  sql
    .selectFrom('orders')
    .innerJoin('order_status_history', 'order_status_history.order_id', 'orders.id')
    .select(['order_status_history.order_id', 'order_status_history.status', 'order_status_history.at', 'order_status_history.note'])
    .where('orders.customer_id', '=', customerId)
    .orderBy('order_status_history.at')
    .orderBy('order_status_history.id'),
);

const ticketsIssuedBy = preparedQuery((customerId: string) =>
  sql
    .selectFrom('orders')
    .innerJoin('tickets', 'tickets.order_id', 'orders.id')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .select([
      'tickets.order_id',
      'tickets.reference',
      'ticket_types.name as ticket_type',
      'tickets.invalid_reason',
      'tickets.banned',
      'tickets.redeemed',
      'tickets.first_scan_at',
    ])
    .where('orders.customer_id', '=', customerId)
    .orderBy('tickets.reference'),
);

const giftCardsIssuedBy = preparedQuery((customerId: string) =>
  sql
    .selectFrom('orders')
    .innerJoin('gift_cards', 'gift_cards.order_id', 'orders.id')
    .select(['gift_cards.order_id', 'gift_cards.code', 'gift_cards.value', 'gift_cards.status'])
    .where('orders.customer_id', '=', customerId)
    .orderBy('gift_cards.code'),
);

/** Each order's status timeline, the tickets and the gift cards it issued, for the order detail (three indexed reads). */
function orderDetails(
  store: Store,
  customerId: string,
): {
  statusHistory: Map<string, OrderDetail['statusHistory']>;
  tickets: Map<string, OrderDetail['tickets']>;
  giftCards: Map<string, OrderDetail['giftCards']>;
} {
  return {
    giftCards: byOrder(giftCardsIssuedBy.all(store, customerId), (row) => ({ code: row.code, value: row.value, status: row.status })),
    statusHistory: byOrder(orderStatusesOf.all(store, customerId), (row) => ({ status: row.status, at: row.at, note: row.note })),
    tickets: byOrder(ticketsIssuedBy.all(store, customerId), (row) => ({
      reference: row.reference,
      ticketType: row.ticket_type,
      credentialStatus: ticketStatusOf(row),
    })),
  };
}

function ticketStatusOf(row: { invalid_reason: InvalidReason | null; banned: number; redeemed: number; first_scan_at: string | null }) {
  return ticketStatus({ invalidReason: row.invalid_reason, banned: row.banned === 1, redeemed: row.redeemed === 1, used: row.first_scan_at !== null });
}

/** Rows of several orders, as one list per order id, in the rows' order. */
function byOrder<Row extends { order_id: string | null }, Item>(rows: Row[], item: (row: Row) => Item): Map<string, Item[]> {
  const lists = new Map<string, Item[]>();
  for (const row of rows) {
    if (row.order_id === null) continue;
    const list = lists.get(row.order_id) ?? [];
    list.push(item(row));
    lists.set(row.order_id, list);
  }
  return lists;
}

const orderItemsOf = preparedQuery((customerId: string) =>
  sql
    .selectFrom('orders')
    .innerJoin('order_items', 'order_items.order_id', 'orders.id')
    .select(['order_items.order_id', 'order_items.description', 'order_items.quantity', 'order_items.unit_price'])
    .where('orders.customer_id', '=', customerId)
    .orderBy('order_items.created_at')
    .orderBy('order_items.id'),
);

/** Items of every order of the customer, deleted ones included, in the order they were added. */
function orderItems(store: Store, customerId: string): Map<string, OrderItem[]> {
  return byOrder(orderItemsOf.all(store, customerId), (row) => ({ description: row.description, quantity: row.quantity, unitPrice: row.unit_price }));
}

const webUserById = preparedQuery((webUserId: string) =>
  sql.selectFrom('web_users').select(['id', 'email', 'first_name', 'last_name']).where('id', '=', webUserId),
);

function webUser(store: Store, webUserId: string | null): CustomerCard['webUser'] {
  if (webUserId === null) return null;
  const user = webUserById.first(store, webUserId);
  return user ? { id: user.id, email: user.email, firstName: user.first_name, lastName: user.last_name } : null;
}

const ledgerSumsOf = preparedQuery((customerId: string) =>
  sql
    .selectFrom('ledger_entries')
    .select((eb) => ['kind', eb.fn.sum<number>('amount').as('balance')])
    .where('customer_id', '=', customerId)
    .groupBy('kind'),
);

/** Balances are sums of the append-only ledger (DESIGN.md glossary), never a stored number. */
function balances(store: Store, customerId: string): Record<LedgerKind, number> {
  const result: Record<LedgerKind, number> = { credit: 0, virtual_credit: 0, token: 0 };
  for (const row of ledgerSumsOf.all(store, customerId)) result[row.kind] = Number(row.balance);
  return result;
}

const ticketsOf = preparedQuery((customerId: string) =>
  sql
    .selectFrom('tickets')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .innerJoin('events', 'events.id', 'tickets.event_id')
    .select((eb) => [
      'events.time_zone',
      'tickets.id',
      'tickets.reference',
      'tickets.event_id',
      'tickets.ticket_type_id',
      'ticket_types.name as ticket_type',
      'tickets.status',
      'tickets.invalid_reason',
      'tickets.first_scan_at',
      'tickets.redeemed',
      'tickets.banned',
      'tickets.order_id',
      eb
        .selectFrom('scans')
        .select((count) => count.fn.countAll<number>().as('count'))
        .whereRef('scans.ticket_id', '=', 'tickets.id')
        .as('scan_count'),
      eb
        .selectFrom('scans')
        .select('scans.id')
        .whereRef('scans.ticket_id', '=', 'tickets.id')
        .orderBy('scans.scanned_at', 'desc')
        .orderBy('scans.id', 'desc')
        .limit(1)
        .as('last_scan_id'),
    ])
    .where('tickets.customer_id', '=', customerId)
    .orderBy('tickets.created_at')
    .orderBy('tickets.reference'),
);

/** One primary-key probe per ticket that was scanned: a customer holds a few tickets. */
const scanById = preparedQuery((scanId: string) =>
  sql
    .selectFrom('scans')
    .leftJoin('gates', 'gates.id', 'scans.gate_id')
    .select(['scans.id', 'scans.scanned_at', 'gates.name as gate', 'scans.direction', 'scans.verdict'])
    .where('scans.id', '=', scanId),
);

function lastScan(store: Store, scanId: string | null): CustomerCard['tickets'][number]['lastScan'] {
  const scan = scanId ? scanById.first(store, scanId) : undefined;
  return scan ? { at: scan.scanned_at, gate: scan.gate, direction: scan.direction, verdict: scan.verdict } : null;
}

function tickets(store: Store, customerId: string): CustomerCard['tickets'] {
  return ticketsOf.all(store, customerId).map((row) => ({
    id: row.id,
    reference: row.reference,
    eventId: row.event_id,
    ticketTypeId: row.ticket_type_id,
    ticketType: row.ticket_type,
    status: row.status,
    invalidReason: row.invalid_reason,
    used: row.first_scan_at !== null,
    redeemed: row.redeemed === 1,
    banned: row.banned === 1,
    lastScan: lastScan(store, row.last_scan_id),
    scanCount: Number(row.scan_count ?? 0),
    orderId: row.order_id,
    credentialStatus: ticketStatusOf(row),
    timeZone: row.time_zone,
  }));
}

const tagsOf = preparedQuery((customerId: string) =>
  sql
    .selectFrom('tags')
    .innerJoin('ticket_types', 'ticket_types.id', 'tags.ticket_type_id')
    .innerJoin('events', 'events.id', 'tags.event_id')
    .select([
      'events.time_zone',
      'tags.id',
      'tags.uid',
      'tags.event_id',
      'tags.ticket_type_id',
      'ticket_types.name as ticket_type',
      'tags.active',
      'tags.banned',
      'tags.inactive_reason',
      'tags.created_at',
    ])
    .where('tags.customer_id', '=', customerId)
    .orderBy('tags.created_at')
    .orderBy('tags.id'),
);

function tags(store: Store, customerId: string): CustomerCard['tags'] {
  return tagsOf
    .all(store, customerId)
    .map((tag) => ({
      id: tag.id,
      uid: tag.uid,
      eventId: tag.event_id,
      ticketTypeId: tag.ticket_type_id,
      ticketType: tag.ticket_type,
      active: tag.active === 1,
      banned: tag.banned === 1,
      inactiveReason: tag.inactive_reason,
      createdAt: tag.created_at,
      credentialStatus: tagStatus({ banned: tag.banned === 1, active: tag.active === 1, inactiveReason: tag.inactive_reason }),
      timeZone: tag.time_zone,
    }));
}
