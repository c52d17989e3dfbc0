import { z } from 'zod';
import type { LedgerKind } from '../../db/schema.ts';
import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { loadCustomer, loadCustomerName } from '../customers/existing-customer.ts';
import { withResolvedEvent } from '../events/current.ts';
import { loadEvent } from '../events/existing-event.ts';
import { moneyInMessage } from '../money/money.ts';
import { packContents, unitsSold, type CatalogItemRow } from './catalog.ts';
import { deliveriesOf, giftCardValue, ledgerItemKinds, ticketIssuingKinds, whyNotSellable, type Delivery } from './delivery.ts';
import { envelopeBytes, giftCardCodes, ticketReferences } from './issued-codes.ts';
import { createOrderInput, type CreatedOrder } from './orders.contract.ts';
import { nextBoxOfficeOrderNumber } from './order-number.ts';
import { onlyLeftMessage } from './quantity.ts';
import { rolesFrom } from '../operators/roles.ts';

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
 *
 * The order number is the terminal's (its short code and its next number for the event,
 * order-number.ts): `resolve` puts it into the args, so the server and a replay write the number
 * the terminal showed, and two terminals never issue the same one (their short codes differ). The
 * body only refuses a number the event already has.
 */
export const createOrder = defineCommand({
  name: 'orders.create',
  version: 1,
  roles: rolesFrom('box_office'),
  // The order number is issued by the terminal (its short code) and travels in the args.
  input: createOrderInput.extend({
    number: z.string().min(1).max(40).optional(),
    // The ticket references the terminal's run issued (it settles them): printed for the customer,
    // so a later run (the server, a rebase) issues these or refuses the order, never others.
    ticketReferences: z.array(z.string().min(1).max(80)).optional(),
  }),
  durable: true,
  resolve(store, input) {
    const args = withResolvedEvent(store, input);
    return { ...args, number: input.number ?? nextBoxOfficeOrderNumber(store, args.eventId) };
  },
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    const event = yield* loadEvent(tx, input.eventId);
    // loadEvent reads the event's id and name; an order also states its currency.
    const { currency } = (yield* tx.first(query.selectFrom('events').select('currency').where('id', '=', event.id)))!;
    const { number } = input;
    if (number === undefined) throw invalid('The order has no number', 'number');
    if (yield* tx.first(query.selectFrom('orders').select('id').where('event_id', '=', event.id).where('number', '=', number))) {
      throw conflict(`${event.name} already has an order numbered ${number}`, 'number');
    }

    const items: CatalogItemRow[] = [];
    for (const [index, line] of input.items.entries()) items.push(yield* requireItem(tx, event, line.catalogItemId, `items.${index}.catalogItemId`));
    const contents = yield* packContents(
      tx,
      items.filter((item) => item.kind === 'pack').map((item) => item.id),
    );
    const contentsOf = (packId: string) => contents.get(packId) ?? [];
    const lines: Line[] = input.items.map((line, index) => {
      const item = items[index]!;
      const reason = whyNotSellable(item, contentsOf(item.id));
      if (reason !== null) throw invalid(`${item.name} cannot be sold: ${reason}`, `items.${index}.catalogItemId`);
      return { item, quantity: line.quantity, field: `items.${index}`, deliveries: deliveriesOf({ item, quantity: line.quantity }, contentsOf) };
    });
    yield* checkCapacity(tx, lines);

    const total = lines.reduce((sum, line) => sum + line.item.price * line.quantity, 0);
    const status = input.reserve ? ('reserved' as const) : ('paid' as const);
    if (status === 'paid' && input.amountPaid < total) {
      throw invalid(`Paid ${moneyInMessage(input.amountPaid, currency)} is less than the total ${moneyInMessage(total, currency)}`, 'amountPaid');
    }

    const orderId = tx.nextId();
    const note = input.note ?? null;
    yield* tx.run(
      query.insertInto('orders').values({
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
        created_at: tx.now,
        updated_at: tx.now,
        server_version: null,
        deleted_at: null,
      }),
    );
    for (const line of lines) {
      yield* tx.run(
        query.insertInto('order_items').values({
          id: tx.nextId(),
          order_id: orderId,
          catalog_item_id: line.item.id,
          description: line.item.name,
          quantity: line.quantity,
          unit_price: line.item.price,
          created_at: tx.now,
        }),
      );
    }
    yield* tx.run(
      query.insertInto('order_status_history').values({
        id: tx.nextId(),
        order_id: orderId,
        status,
        note,
        operator: tx.operator,
        device_id: tx.deviceId,
        at: tx.now,
      }),
    );
    yield* tx.audit({
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
      yield* creditLedger(tx, order);
      delivered.tickets = yield* issueTickets(tx, order, input.ticketReferences);
      if (!input.ticketReferences && delivered.tickets.length > 0) tx.settle({ ticketReferences: delivered.tickets.map((ticket) => ticket.reference) });
      delivered.giftCards = yield* issueGiftCards(tx, order);
      // The customers list sorts by these; they stay equal to what the card adds up.
      yield* tx.run(
        query
          .updateTable('customers')
          .set((eb) => ({ total_spent: eb('total_spent', '+', total), order_count: eb('order_count', '+', 1) }))
          .where('id', '=', customer.id),
      );
      yield* tx.audit({
        entity: 'customer',
        entityId: customer.id,
        before: { totalSpent: customer.total_spent, orderCount: customer.order_count },
        after: { totalSpent: customer.total_spent + total, orderCount: customer.order_count + 1 },
      });
    }
    const created: CreatedOrder = {
      orderId,
      number,
      status,
      total,
      amountPaid: input.amountPaid,
      changeDue: status === 'paid' ? input.amountPaid - total : 0,
      currency: currency,
      items: lines.map((line) => ({ description: line.item.name, quantity: line.quantity, unitPrice: line.item.price })),
      ...delivered,
    };
    return created;
  },
});

function* requireItem(tx: CommandTx, event: { id: string; name: string }, catalogItemId: string, field: string) {
  const item = yield* tx.first(query.selectFrom('catalog_items').selectAll().where('id', '=', catalogItemId));
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
function* checkCapacity(tx: CommandTx, lines: readonly Line[]) {
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
  const sold = yield* unitsSold(tx, [...wanted.keys()]);
  for (const { item, quantity, field, pack } of wanted.values()) {
    const left = Math.max(0, (item.capacity ?? 0) - (sold.get(item.id) ?? 0));
    if (quantity > left) throw conflict(onlyLeftMessage(left, item.name, pack), `${field}.quantity`);
  }
}

/**
 * One entry per ledger kind: the ledger's key is (command, kind, order), so a replayed command can
 * never credit twice; two credit items (or a credit item and a pack's credits) add up into one.
 */
function* creditLedger(tx: CommandTx, order: OrderFacts) {
  const amounts = new Map<LedgerKind, number>();
  for (const { item, quantity } of order.lines.flatMap((line) => line.deliveries)) {
    if (!ledgerItemKinds.has(item.kind) || !item.ledger_amount) continue;
    const kind = item.kind as LedgerKind;
    amounts.set(kind, (amounts.get(kind) ?? 0) + item.ledger_amount * quantity);
  }
  for (const [kind, amount] of amounts) {
    yield* tx.run(
      query.insertInto('ledger_entries').values({
        // The ledger is keyed by the envelope: a replayed command never credits twice.
        id: tx.nextId(),
        customer_id: order.customerId,
        event_id: order.eventId,
        kind,
        amount,
        order_id: order.orderId,
        reason: 'order',
        device_id: tx.deviceId,
        command_id: tx.commandId,
        created_at: tx.now,
        server_version: null,
      }),
    );
  }
}

/**
 * One ticket per unit of each ticket, access and subscription item (packs' too), held by the
 * customer. A reference the terminal issued (`settled`) is kept; one another ticket of the event
 * holds by now refuses the order (DESIGN.md section 6: a ticket reference held by another customer
 * is rejected, never moved).
 */
function* issueTickets(tx: CommandTx, order: OrderFacts, settled: readonly string[] | undefined) {
  const issued: CreatedOrder['tickets'] = [];
  let n = 0;
  for (const { item, quantity } of order.lines.flatMap((line) => line.deliveries)) {
    if (!ticketIssuingKinds.has(item.kind) || item.ticket_type_id === null) continue;
    const ticketType = yield* tx.first(query.selectFrom('ticket_types').select('name').where('id', '=', item.ticket_type_id));
    for (let unit = 0; unit < quantity; unit++) {
      const next = settled?.[issued.length] === undefined ? yield* freeTicketReference(tx, order, n) : yield* settledTicketReference(tx, order, settled[issued.length]!, n);
      const { reference } = next;
      n = next.n;
      const ticketId = tx.nextId();
      yield* tx.run(
        query.insertInto('tickets').values({
          id: ticketId,
          event_id: order.eventId,
          reference,
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
          created_at: tx.now,
          updated_at: tx.now,
          server_version: null,
        }),
      );
      yield* tx.audit({
        entity: 'ticket',
        entityId: ticketId,
        after: { reference, ticketTypeId: item.ticket_type_id, customerId: order.customerId, orderId: order.orderId },
      });
      issued.push({ reference, ticketType: ticketType?.name ?? item.name });
    }
  }
  return issued;
}

/** One gift card per unit of each gift-card item (packs' too): a new code and its value. */
function* issueGiftCards(tx: CommandTx, order: OrderFacts) {
  const issued: CreatedOrder['giftCards'] = [];
  for (const { item, quantity } of order.lines.flatMap((line) => line.deliveries)) {
    if (item.kind !== 'gift_card') continue;
    const value = giftCardValue(item);
    for (let unit = 0; unit < quantity; unit++) {
      const giftCardId = tx.nextId();
      const code = yield* freeGiftCardCode(tx, giftCardId);
      yield* tx.run(
        query.insertInto('gift_cards').values({
          id: giftCardId,
          code,
          event_id: order.eventId,
          catalog_item_id: item.id,
          order_id: order.orderId,
          customer_id: order.customerId,
          value,
          status: 'active',
          created_at: tx.now,
          updated_at: tx.now,
          server_version: null,
        }),
      );
      yield* tx.audit({ entity: 'gift_card', entityId: giftCardId, after: { code, value, orderId: order.orderId, customerId: order.customerId } });
      issued.push({ code, value });
    }
  }
  return issued;
}

/** A reference the terminal issued, unless another ticket of the event holds it now. */
function* settledTicketReference(tx: CommandTx, order: OrderFacts, reference: string, n: number) {
  const holder = yield* tx.first(query.selectFrom('tickets').select('customer_id').where('event_id', '=', order.eventId).where('reference', '=', reference));
  if (holder) {
    const whose = holder.customer_id === null ? 'another ticket' : `the ticket of ${yield* loadCustomerName(tx, holder.customer_id)}`;
    throw conflict(`Ticket ${reference}, issued with order ${order.number}, is already ${whose}: it was not moved, and the order was not recorded`, 'ticketReferences');
  }
  return { reference, n };
}

/** The order's next ticket reference after the n-th: a reference imported earlier may already have its text, so the next free one is taken. */
function* freeTicketReference(tx: CommandTx, order: OrderFacts, after: number) {
  for (const candidate of ticketReferences(order.number, after)) {
    const taken = yield* tx.first(query.selectFrom('tickets').select('id').where('event_id', '=', order.eventId).where('reference', '=', candidate.reference));
    if (!taken) return candidate;
  }
  throw new Error('unreachable: ticket references never run out');
}

/** A code no gift card holds yet, drawn from the envelope, so the server and a replay hand out this code too. */
function* freeGiftCardCode(tx: CommandTx, giftCardId: string) {
  for (const code of giftCardCodes(envelopeBytes(tx, giftCardId))) {
    if (!(yield* tx.first(query.selectFrom('gift_cards').select('id').where('code', '=', code)))) return code;
  }
  throw new Error('unreachable: giftCardCodes throws when it runs out');
}
