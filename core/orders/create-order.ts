import { z } from 'zod';
import type { LedgerKind } from '../../db/schema.ts';
import { sql, type Store } from '../../db/store.ts';
import { defineCommand, type CommandScope } from '../commands/command.ts';
import { requireCustomer } from '../customers/existing-customer.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { resolveEvent, withResolvedEvent, type EventRow } from '../events/current.ts';
import { moneyInMessage } from '../money/money.ts';
import { packContents, unitsSold, type CatalogItemRow } from './catalog.ts';
import { deliveriesOf, giftCardValue, ledgerItemKinds, ticketIssuingKinds, whyNotSellable, type Delivery } from './delivery.ts';
import { envelopeBytes, newGiftCardCode, nextTicketReference } from './issued-codes.ts';
import { createOrderInput, type CreatedOrder } from './orders.contract.ts';
import { nextBoxOfficeOrderNumber } from './order-number.ts';
import { onlyLeftMessage } from './quantity.ts';

/** An order line with what it delivers: itself, or a pack's contents. */
interface Line {
  item: CatalogItemRow;
  quantity: number;
  /** `items.<n>`: where an error about this line points. */
  field: string;
  deliveries: Delivery<CatalogItemRow>[];
}

interface OrderFacts {
  customerId: string;
  eventId: string;
  orderId: string;
  number: string;
  lines: readonly Line[];
}

/**
 * Seed 000 "New Order" and seed 004 "Sell/Reserve": a box-office order of catalog items for one
 * customer, in one durable transaction. A sale must be paid in full and takes effect at once: each
 * item delivers what it names (delivery.ts: tickets, ledger entries, gift-card codes, a pack's
 * contents) and the customer's totals move. A reservation holds capacity only, and counts towards
 * neither the amount spent nor the order count (as on the card). An item that would deliver
 * nothing is refused, for a reservation too: it could never become a sale.
 */
export const createOrder = defineCommand({
  name: 'orders.create',
  version: 1,
  // The order number is issued by the terminal (its short code) and travels in the args.
  input: createOrderInput.extend({ number: z.string().min(1).max(40).optional() }),
  durable: true,
  resolve(store, input) {
    const args = withResolvedEvent(store, input);
    return { ...args, number: input.number ?? nextBoxOfficeOrderNumber(store, args.eventId) };
  },
  apply(scope, input): CreatedOrder {
    const { store } = scope;
    const customer = requireCustomer(store, input.customerId);
    const event = resolveEvent(store, input.eventId);
    const { number } = input;
    if (number === undefined) throw invalid('The order has no number', 'number');
    if (store.first(sql.selectFrom('orders').select('id').where('event_id', '=', event.id).where('number', '=', number))) {
      throw conflict(`${event.name} already has an order numbered ${number}`, 'number');
    }

    const items = input.items.map((line, index) => requireItem(store, event, line.catalogItemId, `items.${index}.catalogItemId`));
    const contents = packContents(
      store,
      items.filter((item) => item.kind === 'pack').map((item) => item.id),
    );
    const contentsOf = (packId: string) => contents.get(packId) ?? [];
    const lines: Line[] = input.items.map((line, index) => {
      const item = items[index]!;
      const reason = whyNotSellable(item, contentsOf(item.id));
      if (reason !== null) throw invalid(`${item.name} cannot be sold: ${reason}`, `items.${index}.catalogItemId`);
      return { item, quantity: line.quantity, field: `items.${index}`, deliveries: deliveriesOf({ item, quantity: line.quantity }, contentsOf) };
    });
    checkCapacity(store, lines);

    const total = lines.reduce((sum, line) => sum + line.item.price * line.quantity, 0);
    const status = input.reserve ? ('reserved' as const) : ('paid' as const);
    if (status === 'paid' && input.amountPaid < total) {
      throw invalid(`Paid ${moneyInMessage(input.amountPaid, event.currency)} is less than the total ${moneyInMessage(total, event.currency)}`, 'amountPaid');
    }

    const orderId = scope.nextId();
    const note = input.note ?? null;
    store.run(
      sql.insertInto('orders').values({
        id: orderId,
        event_id: event.id,
        number,
        channel: 'box_office',
        customer_id: customer.id,
        status,
        total,
        amount_paid: input.amountPaid,
        flags: JSON.stringify(input.flags),
        note,
        created_at: scope.now,
        updated_at: scope.now,
        server_version: null,
        deleted_at: null,
      }),
    );
    for (const line of lines) {
      store.run(
        sql.insertInto('order_items').values({
          id: scope.nextId(),
          order_id: orderId,
          catalog_item_id: line.item.id,
          description: line.item.name,
          quantity: line.quantity,
          unit_price: line.item.price,
          created_at: scope.now,
        }),
      );
    }
    store.run(
      sql.insertInto('order_status_history').values({
        id: scope.nextId(),
        order_id: orderId,
        status,
        note,
        operator: scope.operator,
        device_id: scope.deviceId,
        at: scope.now,
      }),
    );
    scope.audit({
      entity: 'order',
      entityId: orderId,
      after: {
        number,
        customerId: customer.id,
        eventId: event.id,
        status,
        total,
        amountPaid: input.amountPaid,
        flags: input.flags,
        items: lines.map((line) => ({ catalogItemId: line.item.id, quantity: line.quantity, unitPrice: line.item.price })),
      },
    });

    const delivered: Pick<CreatedOrder, 'tickets' | 'giftCards'> = { tickets: [], giftCards: [] };
    if (status === 'paid') {
      const order: OrderFacts = { customerId: customer.id, eventId: event.id, orderId, number, lines };
      creditLedger(scope, order);
      delivered.tickets = issueTickets(scope, order);
      delivered.giftCards = issueGiftCards(scope, order);
      // The customers list sorts by these; they stay equal to what the card adds up.
      store.run(
        sql
          .updateTable('customers')
          .set((eb) => ({ total_spent: eb('total_spent', '+', total), order_count: eb('order_count', '+', 1) }))
          .where('id', '=', customer.id),
      );
      scope.audit({
        entity: 'customer',
        entityId: customer.id,
        before: { totalSpent: customer.total_spent, orderCount: customer.order_count },
        after: { totalSpent: customer.total_spent + total, orderCount: customer.order_count + 1 },
      });
    }
    return {
      orderId,
      number,
      status,
      total,
      amountPaid: input.amountPaid,
      changeDue: status === 'paid' ? input.amountPaid - total : 0,
      currency: event.currency,
      items: lines.map((line) => ({ description: line.item.name, quantity: line.quantity, unitPrice: line.item.price })),
      ...delivered,
    };
  },
});

function requireItem(store: Store, event: EventRow, catalogItemId: string, field: string): CatalogItemRow {
  const item = store.first(sql.selectFrom('catalog_items').selectAll().where('id', '=', catalogItemId));
  if (!item) throw notFound('This catalog item does not exist (any more); reopen New order', field);
  if (item.deleted_at !== null) throw notFound(`${item.name} was removed from the catalog; reopen New order`, field);
  if (item.event_id !== event.id) throw invalid(`${item.name} is not sold for ${event.name}`, field);
  return item;
}

/**
 * Units asked for, per catalog item, against its capacity: the same item may be on several lines
 * and inside packs, and a pack's own capacity counts too. The error points at the first line that
 * asks for the item, and never trims the order to what is left.
 */
function checkCapacity(store: Store, lines: readonly Line[]): void {
  const wanted = new Map<string, { item: CatalogItemRow; quantity: number; field: string; pack: string | null }>();
  const want = (item: CatalogItemRow, quantity: number, field: string, pack: string | null) => {
    if (item.capacity === null) return;
    const entry = wanted.get(item.id);
    if (entry) entry.quantity += quantity;
    else wanted.set(item.id, { item, quantity, field, pack });
  };
  for (const line of lines) {
    if (line.item.kind === 'pack') want(line.item, line.quantity, line.field, null);
    for (const delivery of line.deliveries) want(delivery.item, delivery.quantity, line.field, delivery.pack?.name ?? null);
  }
  const sold = unitsSold(store, [...wanted.keys()]);
  for (const { item, quantity, field, pack } of wanted.values()) {
    const left = Math.max(0, (item.capacity ?? 0) - (sold.get(item.id) ?? 0));
    if (quantity > left) throw conflict(onlyLeftMessage(left, item.name, pack), `${field}.quantity`);
  }
}

/**
 * One entry per ledger kind: the ledger's key is (command, kind, order), so a replayed command can
 * never credit twice; two credit items (or a credit item and a pack's credits) add up into one.
 */
function creditLedger(scope: CommandScope, order: OrderFacts): void {
  const amounts = new Map<LedgerKind, number>();
  for (const { item, quantity } of order.lines.flatMap((line) => line.deliveries)) {
    if (!ledgerItemKinds.has(item.kind) || !item.ledger_amount) continue;
    const kind = item.kind as LedgerKind;
    amounts.set(kind, (amounts.get(kind) ?? 0) + item.ledger_amount * quantity);
  }
  for (const [kind, amount] of amounts) {
    scope.store.run(
      sql.insertInto('ledger_entries').values({
        // The ledger is keyed by the envelope: a replayed command never credits twice.
        id: scope.nextId(),
        customer_id: order.customerId,
        event_id: order.eventId,
        kind,
        amount,
        order_id: order.orderId,
        reason: 'order',
        device_id: scope.deviceId,
        command_id: scope.commandId,
        created_at: scope.now,
        server_version: null,
      }),
    );
  }
}

/** One ticket per unit of each ticket, access and subscription item (packs' too), held by the customer. */
function issueTickets(scope: CommandScope, order: OrderFacts): CreatedOrder['tickets'] {
  const issued: CreatedOrder['tickets'] = [];
  let n = 0;
  for (const { item, quantity } of order.lines.flatMap((line) => line.deliveries)) {
    if (!ticketIssuingKinds.has(item.kind) || item.ticket_type_id === null) continue;
    const ticketType = scope.store.first(sql.selectFrom('ticket_types').select('name').where('id', '=', item.ticket_type_id));
    for (let unit = 0; unit < quantity; unit++) {
      // A reference imported earlier may already have this text: the next free one is taken.
      const next = nextTicketReference(order.number, n, (reference) => referenceTaken(scope.store, order.eventId, reference));
      n = next.n;
      const ticketId = scope.nextId();
      scope.store.run(
        sql.insertInto('tickets').values({
          id: ticketId,
          event_id: order.eventId,
          reference: next.reference,
          ticket_type_id: item.ticket_type_id,
          customer_id: order.customerId,
          order_id: order.orderId,
          status: 'valid',
          invalid_reason: null,
          redeemed: 0,
          banned: 0,
          first_scan_at: null,
          last_scan_at: null,
          last_scan_gate_id: null,
          created_at: scope.now,
          updated_at: scope.now,
          server_version: null,
        }),
      );
      scope.audit({
        entity: 'ticket',
        entityId: ticketId,
        after: { reference: next.reference, ticketTypeId: item.ticket_type_id, customerId: order.customerId, orderId: order.orderId },
      });
      issued.push({ reference: next.reference, ticketType: ticketType?.name ?? item.name });
    }
  }
  return issued;
}

/** One gift card per unit of each gift-card item (packs' too): a new code and its value. */
function issueGiftCards(scope: CommandScope, order: OrderFacts): CreatedOrder['giftCards'] {
  const issued: CreatedOrder['giftCards'] = [];
  for (const { item, quantity } of order.lines.flatMap((line) => line.deliveries)) {
    if (item.kind !== 'gift_card') continue;
    const value = giftCardValue(item);
    for (let unit = 0; unit < quantity; unit++) {
      const giftCardId = scope.nextId();
      const code = newGiftCardCode(
        (candidate) => scope.store.first(sql.selectFrom('gift_cards').select('id').where('code', '=', candidate)) !== undefined,
        envelopeBytes(scope, giftCardId),
      );
      scope.store.run(
        sql.insertInto('gift_cards').values({
          id: giftCardId,
          code,
          event_id: order.eventId,
          catalog_item_id: item.id,
          order_id: order.orderId,
          customer_id: order.customerId,
          value,
          status: 'active',
          created_at: scope.now,
          updated_at: scope.now,
          server_version: null,
        }),
      );
      scope.audit({ entity: 'gift_card', entityId: giftCardId, after: { code, value, orderId: order.orderId, customerId: order.customerId } });
      issued.push({ code, value });
    }
  }
  return issued;
}

function referenceTaken(store: Store, eventId: string, reference: string): boolean {
  return (
    store.first(sql.selectFrom('tickets').select('id').where('event_id', '=', eventId).where('reference', '=', reference)) !==
    undefined
  );
}
