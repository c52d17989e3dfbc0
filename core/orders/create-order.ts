import type { Selectable } from 'kysely';
import type { CatalogItemTable, LedgerKind } from '../../db/schema.ts';
import { sql, type Store } from '../../db/store.ts';
import { defineCommand, type CommandScope } from '../commands/command.ts';
import { requireCustomer } from '../customers/existing-customer.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { resolveEvent, type EventRow } from '../events/current.ts';
import { newId } from '../ids.ts';
import { unitsSold } from './catalog.ts';
import { createOrderInput } from './orders.contract.ts';
import { nextBoxOfficeOrderNumber } from './order-number.ts';

type CatalogItemRow = Selectable<CatalogItemTable>;

const ledgerKinds: ReadonlySet<string> = new Set<LedgerKind>(['credit', 'virtual_credit', 'token']);

/**
 * Seed 000 "New Order" and seed 004 "Sell/Reserve": a box-office order of catalog items for one
 * customer, in one durable transaction. A sale must be paid in full and takes effect at once
 * (tickets issued, credits and tokens on the ledger, the customer's totals); a reservation holds
 * capacity only, and counts towards neither the amount spent nor the order count (as on the card).
 */
export const createOrder = defineCommand({
  name: 'orders.create',
  version: 1,
  input: createOrderInput,
  durable: true,
  apply(scope, input) {
    const { store } = scope;
    const customer = requireCustomer(store, input.customerId);
    const event = resolveEvent(store, input.eventId);

    const lines = input.items.map((line, index) => ({
      ...line,
      item: requireSellableItem(store, event, line.catalogItemId, `items.${index}.catalogItemId`),
      field: `items.${index}`,
    }));
    checkCapacity(store, lines);

    const total = lines.reduce((sum, line) => sum + line.item.price * line.quantity, 0);
    const status = input.reserve ? ('reserved' as const) : ('paid' as const);
    if (status === 'paid' && input.amountPaid < total) {
      throw invalid(`Paid amount is less than the total (${input.amountPaid} < ${total} in minor units of ${event.currency})`, 'amountPaid');
    }

    const orderId = newId();
    const number = nextBoxOfficeOrderNumber(store, event.id);
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
          id: newId(),
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
        id: newId(),
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

    if (status === 'paid') {
      creditLedger(scope, { customerId: customer.id, eventId: event.id, orderId, lines });
      issueTickets(scope, { customerId: customer.id, eventId: event.id, orderId, number, lines });
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
    return { orderId, number, status, total };
  },
});

function requireSellableItem(store: Store, event: EventRow, catalogItemId: string, field: string): CatalogItemRow {
  const item = store.first(sql.selectFrom('catalog_items').selectAll().where('id', '=', catalogItemId));
  if (!item) throw notFound(`No catalog item with id ${catalogItemId}`, field);
  if (item.deleted_at !== null) throw notFound(`Catalog item ${item.name} was deleted on ${item.deleted_at}`, field);
  if (item.event_id !== event.id) throw invalid(`Catalog item ${item.name} is not sold for ${event.name}`, field);
  if (item.kind === 'ticket' && item.ticket_type_id === null) {
    throw invalid(`Catalog item ${item.name} sells tickets but has no ticket type`, field);
  }
  return item;
}

/** The same item may be on several lines: its quantities add up against one capacity. */
function checkCapacity(store: Store, lines: readonly { item: CatalogItemRow; quantity: number; field: string }[]): void {
  const wanted = new Map<string, { item: CatalogItemRow; quantity: number; field: string }>();
  for (const line of lines) {
    if (line.item.capacity === null) continue;
    const entry = wanted.get(line.item.id);
    if (entry) entry.quantity += line.quantity;
    else wanted.set(line.item.id, { item: line.item, quantity: line.quantity, field: line.field });
  }
  const sold = unitsSold(store, [...wanted.keys()]);
  for (const { item, quantity, field } of wanted.values()) {
    const capacity = item.capacity ?? 0;
    const left = Math.max(0, capacity - (sold.get(item.id) ?? 0));
    if (quantity > left) {
      throw conflict(`Only ${left} of ${item.name} left (capacity ${capacity}); this order asks for ${quantity}`, `${field}.quantity`);
    }
  }
}

/**
 * One entry per ledger kind: the ledger's key is (command, kind, order), so a replayed command can
 * never credit twice; two credit items on one order add up into one entry.
 */
function creditLedger(
  scope: CommandScope,
  order: { customerId: string; eventId: string; orderId: string; lines: readonly { item: CatalogItemRow; quantity: number }[] },
): void {
  const amounts = new Map<LedgerKind, number>();
  for (const { item, quantity } of order.lines) {
    if (!ledgerKinds.has(item.kind) || !item.ledger_amount) continue;
    const kind = item.kind as LedgerKind;
    amounts.set(kind, (amounts.get(kind) ?? 0) + item.ledger_amount * quantity);
  }
  for (const [kind, amount] of amounts) {
    scope.store.run(
      sql.insertInto('ledger_entries').values({
        id: newId(),
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

/** One ticket per unit of each ticket item, referenced '<order number>-<n>', held by the customer. */
function issueTickets(
  scope: CommandScope,
  order: {
    customerId: string;
    eventId: string;
    orderId: string;
    number: string;
    lines: readonly { item: CatalogItemRow; quantity: number }[];
  },
): void {
  let n = 0;
  for (const { item, quantity } of order.lines) {
    if (item.kind !== 'ticket' || item.ticket_type_id === null) continue;
    for (let unit = 0; unit < quantity; unit++) {
      let reference: string;
      // A reference imported earlier may already have this text: take the next free one.
      do reference = `${order.number}-${++n}`;
      while (referenceTaken(scope.store, order.eventId, reference));
      const ticketId = newId();
      scope.store.run(
        sql.insertInto('tickets').values({
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
          created_at: scope.now,
          updated_at: scope.now,
          server_version: null,
        }),
      );
      scope.audit({
        entity: 'ticket',
        entityId: ticketId,
        after: { reference, ticketTypeId: item.ticket_type_id, customerId: order.customerId, orderId: order.orderId },
      });
    }
  }
}

function referenceTaken(store: Store, eventId: string, reference: string): boolean {
  return (
    store.first(sql.selectFrom('tickets').select('id').where('event_id', '=', eventId).where('reference', '=', reference)) !==
    undefined
  );
}
