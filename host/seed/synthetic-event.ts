import { foldScansIntoPresence } from '../../db/migrations/0004_checkin_presence.ts';
import type { Statement } from 'better-sqlite3';
import type { Store } from '../../db/store.ts';
import type { OrderChannel, OrderStatus } from '../../db/schema.ts';
import { invalidReasons, ledgerKinds, type InvalidReason } from '../../core/enumerations.ts';
import { customerSearchRow, insertSearchRow, sortName } from '../../core/customers/search-index.ts';
import { conflict, invalid } from '../../core/errors.ts';
import { demoDataKey } from '../../core/events/data-folder.ts';
import { maxSyntheticTags, maxSyntheticTickets, tagUid, ticketReference } from './credentials.ts';
import { catalogItems, festival, festivalTimeline, firstDayMidnight, gates, ticketTypes, type CatalogItemSpec, type GateKey, type TicketTypeSpec } from './festival.ts';
import { customerDescriptions, labelNames } from './names.ts';
import { EmailBook, syntheticPerson, type SyntheticPerson } from './people.ts';
import { createIdSequence, createRandom, type Random } from './random.ts';

/**
 * A deterministic synthetic event for development, demos and benchmarks: the same options give
 * the same rows, byte for byte (every id, time and value comes from a seeded PRNG and the
 * festival's first day, never from the wall clock or Math.random). The data is the festival as it
 * stands at midnight after its first day (festival.ts), so a demo placed with its first day
 * yesterday has a past that is really past and ticket types that admit today.
 *
 * This is synthetic dev data, not a user action, so it bypasses the command runner: it writes no
 * audit_log or outbox rows (nothing here must ever sync to a server) and uses raw prepared
 * statements in large transactions so 500,000 customers, 1,000,000 tickets and 1,000,000 tags load
 * in about a minute. It still keeps every invariant the commands keep: the FTS row and sort_name
 * of each customer, one active tag per customer, unique e-mails/references/UIDs, and
 * customers.total_spent / order_count equal to what their orders add up to.
 */

export interface SyntheticEventOptions {
  customers: number;
  tickets: number;
  tags: number;
  seed: number;
  /** The festival's first day, YYYY-MM-DD (UTC); festival.referenceFirstDay when absent. */
  firstDay?: string | undefined;
}

export interface SeedProgress {
  phase: 'customers' | 'tickets' | 'search index' | 'indexes';
  done: number;
  total: number;
}

export interface SyntheticEventSummary {
  eventId: string;
  eventName: string;
  customers: number;
  anonymousCustomers: number;
  tickets: number;
  unassignedTickets: number;
  tags: number;
  activeTags: number;
  orders: number;
  orderItems: number;
  ledgerEntries: number;
  scans: number;
  webUsers: number;
  alternativeEmails: number;
  customerLabels: number;
}

/**
 * Version of the generator's output: bump it whenever a change alters the rows written for the
 * same options, so cached seeded files (bench/output) are rebuilt.
 */
export const syntheticEventVersion = 6;

export const seedDefaults: SyntheticEventOptions = { customers: 1000, tickets: 1500, tags: 800, seed: 1 };

/** Customers per transaction: big enough to amortise commits, small enough to keep the WAL modest. */
const customersPerTransaction = 5000;
const hour = 3_600_000;
const minute = 60_000;

const iso = (time: number) => new Date(time).toISOString();

function insertStatements(store: Store) {
  const prepare = (text: string): Statement<unknown[]> => store.statement(text);
  return {
    event: prepare('INSERT INTO events (id, name, starts_at, ends_at, time_zone, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    gate: prepare('INSERT INTO gates (id, event_id, name, zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
    ticketType: prepare(
      'INSERT INTO ticket_types (id, event_id, name, valid_from, valid_until, max_entries, reentry_allowed, gate_ids, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    catalogItem: prepare(
      'INSERT INTO catalog_items (id, event_id, kind, name, price, ledger_amount, ticket_type_id, capacity, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    packContent: prepare(
      'INSERT INTO pack_contents (id, pack_item_id, content_item_id, quantity, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    label: prepare('INSERT INTO labels (id, name, color, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
    webUser: prepare('INSERT INTO web_users (id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    customer: prepare(
      `INSERT INTO customers (id, search_rowid, email, first_name, last_name, phone, postcode, address, city, country, gender,
        verification_status, description, web_user_id, total_spent, order_count, sort_name, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    customerEmail: prepare('INSERT INTO customer_emails (customer_id, email, created_at) VALUES (?, ?, ?)'),
    customerLabel: prepare('INSERT INTO customer_labels (customer_id, label_id, created_at) VALUES (?, ?, ?)'),
    order: prepare(
      `INSERT INTO orders (id, event_id, number, channel, customer_id, status, total, amount_paid, flags, note, created_at, updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
    ),
    orderItem: prepare(
      'INSERT INTO order_items (id, order_id, catalog_item_id, description, quantity, unit_price, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    orderStatus: prepare('INSERT INTO order_status_history (id, order_id, status, note, operator, device_id, at) VALUES (?, ?, ?, NULL, ?, ?, ?)'),
    ticket: prepare(
      `INSERT INTO tickets (id, event_id, reference, ticket_type_id, customer_id, order_id, status, invalid_reason, redeemed, banned,
        first_scan_at, last_scan_at, last_scan_gate_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    tag: prepare(
      `INSERT INTO tags (id, event_id, uid, ticket_type_id, customer_id, ticket_id, active, banned, inactive_reason, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    scan: prepare(
      `INSERT INTO scans (id, event_id, code, ticket_id, tag_id, gate_id, direction, verdict, reason, device_id, operator, scanned_at)
       VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL, ?)`,
    ),
    ledger: prepare(
      `INSERT INTO ledger_entries (id, customer_id, event_id, kind, amount, order_id, reason, device_id, command_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

function checkOptions(options: SyntheticEventOptions): void {
  const counts = [
    ['customers', options.customers, 10_000_000],
    ['tickets', options.tickets, maxSyntheticTickets],
    ['tags', options.tags, maxSyntheticTags],
  ] as const;
  for (const [field, value, max] of counts) {
    if (!Number.isInteger(value) || value < 0 || value > max) throw invalid(`${field} must be a whole number from 0 to ${max}`, field);
  }
  if (!Number.isInteger(options.seed)) throw invalid('seed must be a whole number', 'seed');
  if (options.tags > 0 && options.customers === 0) throw invalid('tags need customers to belong to', 'tags');
  if (options.firstDay !== undefined && firstDayMidnight(options.firstDay) === undefined) {
    throw invalid(`starts must be a date written YYYY-MM-DD, such as ${festival.referenceFirstDay}`, 'starts');
  }
}

function refuseUnlessEmpty(store: Store): void {
  const customers = store.statement('SELECT count(*) AS n FROM (SELECT 1 FROM customers LIMIT 1)').get() as { n: number };
  const events = store.statement('SELECT count(*) AS n FROM events').get() as { n: number };
  if (customers.n > 0 || events.n > 0) {
    throw conflict('This data folder already holds customers or events; seed only fills an empty data folder (use a new --data-dir)', 'dataDir');
  }
}

/** Tables the seed fills in bulk. */
const bulkTables = ['customers', 'customer_emails', 'customer_labels', 'orders', 'order_items', 'order_status_history', 'tickets', 'tags', 'scans', 'ledger_entries', 'web_users'];

/**
 * Drops the bulk tables' secondary indexes (those created by the migration, with their SQL kept)
 * so rows load into bare tables and each index is then built once from sorted data, as DESIGN.md
 * section 6 does for a snapshot. Building them afterwards also re-checks every unique rule.
 */
function dropSecondaryIndexes(store: Store): { name: string; sql: string }[] {
  const indexes = store.db
    .prepare<unknown[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${bulkTables.map(() => '?').join(', ')}) ORDER BY name`,
    )
    .all(...bulkTables);
  store.transaction(() => {
    for (const index of indexes) store.db.exec(`DROP INDEX "${index.name}"`);
  });
  return indexes;
}

/** Who holds how many tickets and tags, decided before any row is written so counts are exact. */
function planHoldings(random: Random, options: SyntheticEventOptions) {
  const n = options.customers;
  const anonymous = new Uint8Array(n);
  for (let c = 0; c < n; c++) anonymous[c] = random.chance(0.04) ? 1 : 0;

  // About 8% of tickets stay unassigned (sold to guests, not yet claimed).
  const assignedTickets = n === 0 ? 0 : options.tickets - Math.round(options.tickets * 0.08);
  const ticketCount = new Int32Array(n);
  let given = 0;
  // One ticket each first (a few customers only hold tags), then the rest to random customers,
  // so some customers hold several tickets.
  for (let c = 0; c < n && given < assignedTickets; c++) {
    if (random.chance(0.04)) continue;
    ticketCount[c] = 1;
    given++;
  }
  while (given < assignedTickets) {
    ticketCount[random.int(n)]! += 1;
    given++;
  }

  // Tag holders: customers with no ticket first (a tag is how they came to exist), then a random
  // selection of the others; extra tags are replacements for lost or broken wristbands.
  const tagCount = new Int32Array(n);
  const holderTarget = Math.min(n, Math.round(options.tags * 0.8), options.tags);
  const holders = new Int32Array(holderTarget);
  let holderCount = 0;
  for (let c = 0; c < n && holderCount < holderTarget; c++) {
    if (ticketCount[c] === 0) holders[holderCount++] = c;
  }
  const firstRound = holderCount;
  let candidatesLeft = n - firstRound;
  for (let c = 0; c < n && holderCount < holderTarget; c++) {
    if (ticketCount[c] === 0) continue;
    // Selection sampling (Knuth's algorithm S): exactly the number needed, uniformly chosen.
    if (random.next() * candidatesLeft < holderTarget - holderCount) holders[holderCount++] = c;
    candidatesLeft--;
  }
  for (let h = 0; h < holderCount; h++) tagCount[holders[h]!] = 1;
  for (let extra = options.tags - holderCount; extra > 0; extra--) tagCount[holders[random.int(holderCount)]!]! += 1;
  return { anonymous, ticketCount, tagCount, unassignedTickets: options.tickets - given };
}

interface PlannedOrder {
  id: string;
  number: string;
  channel: OrderChannel;
  status: OrderStatus;
  deleted: boolean;
  at: number;
  items: { catalogItem: CatalogItemSpec | null; description: string; quantity: number; unitPrice: number }[];
}

const orderTotal = (order: PlannedOrder) => order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);

/** Seed 002's order statuses as the order went through them. */
function statusPath(channel: OrderChannel, status: OrderStatus): OrderStatus[] {
  const toPaid: OrderStatus[] = channel === 'online' ? ['reserved', 'processing_payment', 'paid'] : ['paid'];
  switch (status) {
    case 'paid':
      return toPaid;
    case 'item_refunded':
      return [...toPaid, 'refunding_items', 'confirming_refund', 'item_refunded'];
    case 'item_transfer_created':
      return [...toPaid, 'item_transfer_created'];
    case 'canceled':
      return [...toPaid, 'canceled'];
    case 'expired':
      return ['reserved', 'expired'];
    case 'processing_payment':
      return ['reserved', 'processing_payment'];
    default:
      return [status];
  }
}

/** Orders that count towards the card's order count (same rule as customers.card's totals). */
const countsAsOrder = (order: PlannedOrder) => !order.deleted && !['reserved', 'expired', 'canceled'].includes(order.status);
const countsAsSpent = (order: PlannedOrder) => !order.deleted && order.status === 'paid';

export function seedSyntheticEvent(
  store: Store,
  options: SyntheticEventOptions,
  onProgress: (progress: SeedProgress) => void = () => {},
): SyntheticEventSummary {
  checkOptions(options);
  refuseUnlessEmpty(store);
  const db = store.db;
  // Bulk-load settings, restored afterwards. Foreign keys are checked by construction here (and
  // by the seed's tests with PRAGMA foreign_key_check); checking each of millions of inserts
  // against its parents would double the load time.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  const indexes = dropSecondaryIndexes(store);
  try {
    return writeSyntheticEvent(store, options, onProgress);
  } finally {
    onProgress({ phase: 'indexes', done: 0, total: indexes.length });
    // Index builds are big sorts: let SQLite's sorter use a second core.
    const threads = db.pragma('threads', { simple: true }) as number;
    db.pragma('threads = 2');
    try {
      store.transaction(() => {
        for (const index of indexes) db.exec(index.sql);
      });
    } finally {
      db.pragma(`threads = ${threads}`);
    }
    onProgress({ phase: 'indexes', done: indexes.length, total: indexes.length });
    // Scans were written directly, not through checkin.scan: derive who is inside from them.
    foldScansIntoPresence(db);
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma('synchronous = NORMAL');
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

function writeSyntheticEvent(store: Store, options: SyntheticEventOptions, onProgress: (progress: SeedProgress) => void): SyntheticEventSummary {
  const random = createRandom(options.seed);
  // Separate streams for ids and credentials: changing how many draws one part of the generator
  // makes does not reshuffle the others.
  const idRandom = createRandom(options.seed ^ 0x5eed1d5);
  const credentialRandom = createRandom(options.seed ^ 0xc4ed);
  const sequences = new Map<string, (time: number) => string>();
  const newId = (table: string, time: number) => {
    let sequence = sequences.get(table);
    if (!sequence) sequences.set(table, (sequence = createIdSequence(idRandom)));
    return sequence(time);
  };
  const referenceOffset = random.int(maxSyntheticTickets);
  const uidOffset = random.int(maxSyntheticTags);
  const insert = insertStatements(store);
  const emails = new EmailBook();
  const n = options.customers;
  const plan = planHoldings(random, options);
  const timeline = festivalTimeline(options.firstDay ?? festival.referenceFirstDay);
  const summary: SyntheticEventSummary = {
    eventId: '',
    eventName: timeline.name,
    customers: n,
    anonymousCustomers: 0,
    tickets: 0,
    unassignedTickets: 0,
    tags: 0,
    activeTags: 0,
    orders: 0,
    orderItems: 0,
    ledgerEntries: 0,
    scans: 0,
    webUsers: 0,
    alternativeEmails: 0,
    customerLabels: 0,
  };

  // --- The event and what the organiser set up before sales opened.
  const setUpMs = timeline.setUpAt;
  const setUpAt = iso(setUpMs);
  const eventId = newId('events', setUpMs);
  summary.eventId = eventId;
  const gateIds = new Map<GateKey, string>();
  const typeIds = new Map<string, string>();
  const catalogIds = new Map<CatalogItemSpec, string>();
  const labelIds: string[] = [];
  store.transaction(() => {
    // Marks the folder as demo data for the UI (events.dataFolder).
    store.statement('INSERT INTO terminal_state (key, value) VALUES (?, ?)').run(demoDataKey, timeline.firstDay);
    insert.event.run(eventId, timeline.name, iso(timeline.startsAt), iso(timeline.endsAt), festival.timeZone, festival.currency, setUpAt, setUpAt);
    for (const gate of gates) {
      const id = newId('gates', setUpMs);
      gateIds.set(gate.key, id);
      insert.gate.run(id, eventId, gate.name, gate.zone, setUpAt, setUpAt);
    }
    for (const type of ticketTypes) {
      const id = newId('ticket_types', setUpMs);
      typeIds.set(type.name, id);
      const admitting = type.gates === null ? null : JSON.stringify(type.gates.map((key) => gateIds.get(key)));
      insert.ticketType.run(id, eventId, type.name, iso(timeline.at(type.validFrom)), iso(timeline.at(type.validUntil)), type.maxEntries, type.reentryAllowed ? 1 : 0, admitting, setUpAt, setUpAt);
    }
    for (const item of catalogItems) {
      const id = newId('catalog_items', setUpMs);
      catalogIds.set(item, id);
      const typeId = item.ticketType === undefined ? null : (typeIds.get(item.ticketType) ?? null);
      insert.catalogItem.run(id, eventId, item.kind, item.name, item.price, item.ledgerAmount, typeId, item.capacity, setUpAt, setUpAt);
    }
    for (const pack of catalogItems) {
      for (const content of pack.contents ?? []) {
        const contentItem = catalogItems.find((item) => item.name === content.name);
        if (!contentItem) throw new Error(`${pack.name} contains ${content.name}, which is not in the catalog`);
        insert.packContent.run(newId('pack_contents', setUpMs), catalogIds.get(pack), catalogIds.get(contentItem), content.quantity, setUpAt, setUpAt);
      }
    }
    for (const label of labelNames) {
      const id = newId('labels', setUpMs);
      labelIds.push(id);
      insert.label.run(id, label.name, label.color, setUpAt, setUpAt);
    }
  });

  const typeWeights = ticketTypes.map((type) => [type, type.weight] as const);
  const ticketItemOf = new Map(catalogItems.filter((item) => item.kind === 'ticket').map((item) => [item.ticketType, item]));
  const boxOfficeItems = catalogItems
    .filter((item) => item.kind !== 'ticket')
    .map((item) => [item, ({ credit: 40, token: 30, product: 15, virtual_credit: 5, gift_card: 3, access: 3, subscription: 3, pack: 1 } as Record<string, number>)[item.kind] ?? 1] as const);
  const merchandise = catalogItems.filter((item) => item.kind === 'product' || item.kind === 'subscription');
  // Items with a capacity are never oversold (orders.create refuses that): once sold out, a line
  // becomes the first credit item instead. Every planned unit counts, whatever the order's status.
  const unitsPlanned = new Map<CatalogItemSpec, number>();
  const fallbackItem = catalogItems.find((item) => item.kind === 'credit')!;
  const withinCapacity = (item: CatalogItemSpec, quantity: number): CatalogItemSpec => {
    const planned = unitsPlanned.get(item) ?? 0;
    if (item.capacity !== null && planned + quantity > item.capacity) return withinCapacity(fallbackItem, quantity);
    unitsPlanned.set(item, planned + quantity);
    return item;
  };
  const labelWeights = labelIds.map((id, index) => [id, [30, 10, 15, 5, 5, 15, 5][index] ?? 5] as const);

  const salesStart = timeline.salesStartAt;
  const salesEnd = timeline.salesEndAt;
  const salesSpan = salesEnd - salesStart;
  const eventStart = timeline.startsAt;
  const historyUntil = timeline.historyUntil;
  // What happens during the festival (box-office sales, wristband exchanges, bar purchases) is
  // spread over the first day's opening hours, leaving two hours before historyUntil for what
  // follows from it (a status change, a deleted order, the next bar visit).
  const eventSpan = historyUntil - 2 * hour - eventStart;
  let orderNumber = 100000;
  const nextOrderNumber = (channel: OrderChannel) => `${channel === 'online' ? 'W' : 'B'}${++orderNumber}`;

  function writeOrder(order: PlannedOrder, customerId: string | null): void {
    const total = orderTotal(order);
    const paid = ['paid', 'item_transfer_created'].includes(order.status)
      ? total
      : order.status === 'item_refunded'
        ? total - (order.items[0]?.unitPrice ?? 0)
        : 0;
    const path = statusPath(order.channel, order.status);
    const device = order.channel === 'online' ? 'web-shop' : 'box-office-1';
    const operator = order.channel === 'online' ? null : 'box-office-staff';
    const flags = order.channel === 'online' ? '[]' : JSON.stringify([random.chance(0.7) ? 'card' : 'cash']);
    const stepsDone = order.at + (path.length - 1) * 2 * minute;
    // A refund is confirmed a few days later, but never after the moment the data stands at.
    const lastAt = order.status === 'item_refunded' ? Math.max(stepsDone, Math.min(stepsDone + 3 * 24 * hour, historyUntil - 2 * hour)) : stepsDone;
    insert.order.run(order.id, eventId, order.number, order.channel, customerId, order.status, total, paid, flags, iso(order.at), iso(lastAt), order.deleted ? iso(lastAt + hour) : null);
    for (const item of order.items) {
      insert.orderItem.run(newId('order_items', order.at), order.id, item.catalogItem ? catalogIds.get(item.catalogItem) : null, item.description, item.quantity, item.unitPrice, iso(order.at));
    }
    path.forEach((status, step) => {
      const at = step === path.length - 1 ? lastAt : order.at + step * 2 * minute;
      insert.orderStatus.run(newId('order_status_history', at), order.id, status, operator, device, iso(at));
    });
    summary.orders++;
    summary.orderItems += order.items.length;
  }

  function ticketOrderFor(createdMs: number, types: TicketTypeSpec[]): PlannedOrder {
    const channel: OrderChannel = random.chance(0.85) ? 'online' : 'box_office';
    const status = random.weighted<OrderStatus>([
      ['paid', 90],
      ['item_refunded', 3],
      ['canceled', 3],
      ['item_transfer_created', 2],
      ['processing_payment', 2],
    ]);
    const grouped = new Map<TicketTypeSpec, number>();
    for (const type of types) grouped.set(type, (grouped.get(type) ?? 0) + 1);
    const at = createdMs + random.between(1, 20) * minute;
    return {
      id: newId('orders', at),
      number: nextOrderNumber(channel),
      channel,
      status,
      deleted: false,
      at,
      items: [...grouped].map(([type, quantity]) => {
        const item = ticketItemOf.get(type.name) ?? null;
        return { catalogItem: item, description: `${type.name} ticket`, quantity, unitPrice: type.price };
      }),
    };
  }

  function boxOfficeOrder(at: number): PlannedOrder {
    const channel: OrderChannel = 'box_office';
    const items = Array.from({ length: random.chance(0.3) ? 2 : 1 }, () => {
      const wanted = random.weighted(boxOfficeItems);
      const quantity = random.chance(0.8) ? 1 : random.between(2, 4);
      const item = withinCapacity(wanted, quantity);
      return { catalogItem: item, description: item.name, quantity, unitPrice: item.price };
    });
    return {
      id: newId('orders', at),
      number: nextOrderNumber(channel),
      channel,
      status: random.weighted<OrderStatus>([
        ['paid', 90],
        ['reserved', 5],
        ['expired', 3],
        ['canceled', 2],
      ]),
      deleted: random.chance(0.03),
      at,
      items,
    };
  }

  function onlineReservation(at: number): PlannedOrder {
    const item = withinCapacity(random.pick(merchandise), 1);
    return {
      id: newId('orders', at),
      number: nextOrderNumber('online'),
      channel: 'online',
      status: random.chance(0.5) ? 'reserved' : 'expired',
      deleted: random.chance(0.1),
      at,
      items: [{ catalogItem: item, description: item.name, quantity: 1, unitPrice: item.price }],
    };
  }

  let ticketIndex = 0;
  let tagIndex = 0;

  function writeScans(ticketId: string, reference: string, type: TicketTypeSpec, slot: number, banned: boolean) {
    const gateKey: GateKey = type.gates === null ? (type.name.startsWith('VIP') && random.chance(0.7) ? 'vip' : 'main') : random.chance(0.65) ? 'main' : 'north';
    const gateId = gateIds.get(gateKey)!;
    const device = `gate-${gateKey}-${random.between(1, 2)}`;
    const entry = eventStart + type.arrivalDay * 24 * hour + Math.floor(slot * 10 * hour);
    const scans: { at: number; direction: 'entry' | 'exit'; verdict: 'admitted' | 'rejected'; reason: string }[] = [];
    if (banned) {
      scans.push({ at: entry, direction: 'entry', verdict: 'rejected', reason: 'banned' });
    } else {
      scans.push({ at: entry, direction: 'entry', verdict: 'admitted', reason: 'admitted' });
      if (random.chance(0.04)) scans.push({ at: entry + random.between(30, 90) * minute, direction: 'entry', verdict: 'rejected', reason: 'already_inside' });
      if (random.chance(0.3)) scans.push({ at: entry + random.between(2, 8) * hour, direction: 'exit', verdict: 'admitted', reason: 'admitted' });
      // The grounds close at night: who does not camp has left by 23:30 (no draw, so the rest of
      // the data does not change with this rule).
      if (!type.staysOvernight) {
        const closing = eventStart + type.arrivalDay * 24 * hour + 13.5 * hour;
        const exit = scans.find((scan) => scan.direction === 'exit');
        if (exit) exit.at = Math.min(exit.at, closing);
        else scans.push({ at: closing, direction: 'exit', verdict: 'admitted', reason: 'admitted' });
      }
    }
    // Holders who arrive on a later day have not come yet, and nobody has left after historyUntil.
    const happened = scans.filter((scan) => scan.at < historyUntil);
    if (happened.length === 0) return null;
    for (const scan of happened) {
      insert.scan.run(newId('scans', scan.at), eventId, reference, ticketId, gateId, scan.direction, scan.verdict, scan.reason, device, iso(scan.at));
    }
    summary.scans += happened.length;
    const last = happened[happened.length - 1]!;
    return { firstScanAt: banned ? null : iso(entry), lastScanAt: iso(last.at), gateId, lastMs: last.at };
  }

  function writeCustomer(c: number): void {
    const createdMs = salesStart + Math.floor(((c + random.next()) / Math.max(n, 1)) * salesSpan);
    const createdAt = iso(createdMs);
    const eventSlot = (c + random.next()) / Math.max(n, 1);
    const anonymous = plan.anonymous[c] === 1;
    const person: SyntheticPerson | null = anonymous ? null : syntheticPerson(random, emails);
    // A few walk-ins at the box office left a name and phone but no e-mail.
    const email = person && random.chance(0.98) ? person.email : null;
    const verified = email !== null && random.chance(0.55);
    const customerId = newId('customers', createdMs);

    // Tickets and the order they came from.
    const ticketCount = plan.ticketCount[c]!;
    const types: TicketTypeSpec[] = [];
    for (let t = 0; t < ticketCount; t++) types.push(t > 0 && random.chance(0.7) ? types[0]! : random.weighted(typeWeights));
    const orders: PlannedOrder[] = [];
    const ticketOrder = ticketCount > 0 && !anonymous && random.chance(0.92) ? ticketOrderFor(createdMs, types) : null;
    if (ticketOrder) orders.push(ticketOrder);
    if (!anonymous && random.chance(0.3)) orders.push(boxOfficeOrder(eventStart + Math.floor(eventSlot * eventSpan)));
    if (email && random.chance(0.05)) orders.push(onlineReservation(Math.min(createdMs + random.between(1, 30) * 24 * hour, salesEnd)));
    let totalSpent = 0;
    let orderCount = 0;
    for (const order of orders) {
      if (countsAsSpent(order)) totalSpent += orderTotal(order);
      if (countsAsOrder(order)) orderCount++;
    }

    // The profile, its search row and its CRM extras.
    let webUserId: string | null = null;
    if (person && verified && random.chance(0.2)) {
      webUserId = newId('web_users', createdMs);
      insert.webUser.run(webUserId, email, person.firstName, person.lastName, person.phone, createdAt, createdAt);
      summary.webUsers++;
    }
    const description = person && random.chance(0.02) ? random.pick(customerDescriptions) : null;
    const profile = {
      first_name: person?.firstName ?? null,
      last_name: person?.lastName ?? null,
      email,
      phone: person?.phone ?? null,
    };
    const alternativeEmail = person && email && random.chance(0.04) ? emails.take(random, person.firstName, person.lastName) : null;
    insert.customer.run(
      customerId,
      c + 1,
      email,
      profile.first_name,
      profile.last_name,
      profile.phone,
      person?.postcode ?? null,
      person?.address ?? null,
      person?.city ?? null,
      person?.country ?? null,
      person?.gender ?? null,
      verified ? 'verified' : 'non_verified',
      description,
      webUserId,
      totalSpent,
      orderCount,
      sortName(profile),
      createdAt,
      createdAt,
    );
    insertSearchRow(store, c + 1, customerSearchRow(profile, alternativeEmail ? [alternativeEmail] : []));
    if (anonymous) summary.anonymousCustomers++;
    if (alternativeEmail) {
      insert.customerEmail.run(customerId, alternativeEmail, createdAt);
      summary.alternativeEmails++;
    }
    if (person && random.chance(0.08)) {
      const first = random.weighted(labelWeights);
      const chosen = random.chance(0.12) ? new Set([first, random.weighted(labelWeights)]) : new Set([first]);
      for (const labelId of chosen) insert.customerLabel.run(customerId, labelId, createdAt);
      summary.customerLabels += chosen.size;
    }

    for (const order of orders) writeOrder(order, customerId);

    // Tickets, with what happened to them: the order's fate, redemption for a wristband, bans, scans.
    const tagCount = plan.tagCount[c]!;
    const exchanges = tagCount > 0 && ticketCount > 0 && (anonymous || random.chance(0.5));
    let exchangedTicketId: string | null = null;
    const firstTagMs = eventStart - 2 * hour + Math.floor(eventSlot * eventSpan);
    for (let t = 0; t < ticketCount; t++) {
      const type = types[t]!;
      const ticketCreated = ticketOrder ? ticketOrder.at : createdMs;
      const ticketId = newId('tickets', ticketCreated);
      const reference = ticketReference(credentialRandom, ticketIndex++, referenceOffset);
      let invalidReason: InvalidReason | null = null;
      if (ticketOrder?.status === 'canceled') invalidReason = 'canceled';
      else if (ticketOrder?.status === 'item_refunded' && t === 0) invalidReason = 'refunded';
      else if (ticketOrder?.status === 'item_transfer_created' && t === 0) invalidReason = 'transferred';
      else if (random.chance(0.01)) invalidReason = random.pick(invalidReasons);
      const banned = random.chance(0.01);
      let redeemed = false;
      if (invalidReason === null && exchanges && exchangedTicketId === null) {
        redeemed = true;
        exchangedTicketId = ticketId;
      } else if (invalidReason === null && random.chance(0.02)) {
        redeemed = true;
      }
      let scan: ReturnType<typeof writeScans> = null;
      if (invalidReason === null && !redeemed && (banned ? random.chance(0.3) : random.chance(0.25))) {
        scan = writeScans(ticketId, reference, type, eventSlot, banned);
      }
      const updatedMs = Math.max(ticketCreated, scan?.lastMs ?? 0, redeemed ? firstTagMs : 0);
      insert.ticket.run(
        ticketId,
        eventId,
        reference,
        typeIds.get(type.name),
        customerId,
        ticketOrder?.id ?? null,
        invalidReason ? 'invalid' : 'valid',
        invalidReason,
        redeemed ? 1 : 0,
        banned ? 1 : 0,
        scan?.firstScanAt ?? null,
        scan?.lastScanAt ?? null,
        scan?.gateId ?? null,
        iso(ticketCreated),
        iso(updatedMs),
      );
      summary.tickets++;
    }

    // Tags: the last one handed out is the active one; earlier ones were replaced (and lost
    // wristbands are often banned).
    const tagType = types[0] ?? random.weighted(typeWeights);
    let tagMs = firstTagMs;
    for (let g = 0; g < tagCount; g++) {
      const active = g === tagCount - 1;
      // Replacements follow every few hours, the last (active) one still before historyUntil.
      tagMs = Math.min(tagMs, historyUntil - (tagCount - g) * minute);
      const nextTagMs = Math.min(tagMs + random.between(2, 10) * hour, historyUntil - (tagCount - g - 1) * minute);
      const banned = active ? random.chance(0.005) : random.chance(0.25);
      insert.tag.run(
        newId('tags', tagMs),
        eventId,
        tagUid(credentialRandom, tagIndex++, uidOffset),
        typeIds.get(tagType.name),
        customerId,
        g === 0 ? exchangedTicketId : null,
        active ? 1 : 0,
        banned ? 1 : 0,
        active ? null : 'replaced',
        iso(tagMs),
        iso(active ? tagMs : nextTagMs),
      );
      summary.tags++;
      if (active) summary.activeTags++;
      tagMs = nextTagMs;
    }

    // Ledger: top-ups from paid orders, bonus credits for app users, then spending at the bars,
    // never below zero per kind.
    const balances = { credit: 0, virtual_credit: 0, token: 0 };
    const ledger = (kind: keyof typeof balances, amount: number, at: number, orderId: string | null, reason: string, device: string) => {
      insert.ledger.run(newId('ledger_entries', at), customerId, eventId, kind, amount, orderId, reason, device, newId('commands', at), iso(at));
      balances[kind] += amount;
      summary.ledgerEntries++;
    };
    for (const order of orders) {
      if (order.deleted || order.status !== 'paid') continue;
      for (const item of order.items) {
        const kind = item.catalogItem?.kind;
        if ((kind === 'credit' || kind === 'virtual_credit' || kind === 'token') && item.catalogItem?.ledgerAmount) {
          const reason = kind === 'token' ? 'Token purchase' : kind === 'credit' ? 'Top-up' : 'Bonus credits';
          ledger(kind, item.catalogItem.ledgerAmount * item.quantity, order.at, order.id, reason, order.channel === 'online' ? 'web-shop' : 'box-office-1');
        }
      }
    }
    if (webUserId && random.chance(0.5)) ledger('virtual_credit', 500, createdMs + hour, null, 'App sign-up bonus', 'web-shop');
    let spendMs = eventStart + Math.floor(eventSlot * eventSpan) + hour;
    for (const kind of ledgerKinds) {
      for (let s = random.int(4); s > 0 && balances[kind] > 0; s--) {
        const unit = kind === 'token' ? 1 : 50;
        const units = Math.min(Math.floor(balances[kind] / unit), kind === 'token' ? random.between(1, 4) : random.between(4, 60));
        if (units <= 0) break;
        const reason = kind === 'token' ? 'Drink token redeemed' : random.pick(['Bar purchase', 'Food stand', 'Merchandise stand']);
        // A long night at the bars still ends before historyUntil (clamped, so the draws and
        // with them the rest of the data stay the same whatever the festival's dates).
        ledger(kind, -units * unit, Math.min(spendMs, historyUntil - minute), null, reason, `bar-${random.between(1, 12)}`);
        spendMs += random.between(10, 180) * minute;
      }
    }

    // Now and then someone pays at the box office without giving a name (a guest order).
    if (random.chance(0.01)) {
      const guest = boxOfficeOrder(eventStart + Math.floor(eventSlot * eventSpan));
      guest.status = 'paid';
      guest.deleted = false;
      writeOrder(guest, null);
    }
  }

  for (let start = 0; start < n; start += customersPerTransaction) {
    const end = Math.min(n, start + customersPerTransaction);
    store.transaction(() => {
      for (let c = start; c < end; c++) writeCustomer(c);
    });
    onProgress({ phase: 'customers', done: end, total: n });
  }

  // Tickets nobody has claimed yet, and web users not connected to a customer.
  const unassigned = plan.unassignedTickets;
  store.transaction(() => {
    for (let t = 0; t < unassigned; t++) {
      const at = salesStart + Math.floor(((t + random.next()) / unassigned) * salesSpan);
      const type = random.weighted(typeWeights);
      insert.ticket.run(
        newId('tickets', at),
        eventId,
        ticketReference(credentialRandom, ticketIndex++, referenceOffset),
        typeIds.get(type.name),
        null,
        null,
        'valid',
        null,
        0,
        0,
        null,
        null,
        null,
        iso(at),
        iso(at),
      );
      summary.tickets++;
      summary.unassignedTickets++;
    }
    const looseWebUsers = Math.round(n * 0.01);
    for (let w = 0; w < looseWebUsers; w++) {
      const at = salesStart + Math.floor(((w + random.next()) / looseWebUsers) * salesSpan);
      const person = syntheticPerson(random, emails);
      insert.webUser.run(newId('web_users', at), person.email, person.firstName, person.lastName, person.phone, iso(at), iso(at));
      summary.webUsers++;
    }
  });
  onProgress({ phase: 'tickets', done: summary.tickets, total: options.tickets });

  // One merged FTS segment, as a bulk loader leaves it: fastest for search-as-you-type.
  onProgress({ phase: 'search index', done: 0, total: 1 });
  store.statement("INSERT INTO customer_search (customer_search) VALUES ('optimize')").run();
  onProgress({ phase: 'search index', done: 1, total: 1 });
  return summary;
}
