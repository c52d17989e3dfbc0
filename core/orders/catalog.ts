import { sql, type Store } from '../../db/store.ts';
import { resolveEvent } from '../events/current.ts';
import type { CatalogItem } from './orders.contract.ts';

/** Orders that no longer hold their items: a reservation that lapsed or an order called off. */
export const releasedStatuses = ['canceled', 'expired'] as const;

/**
 * Units of each given catalog item held by live orders (not deleted, not canceled, not expired).
 * Reservations hold capacity: what is reserved at the counter cannot be sold twice.
 */
export function unitsSold(store: Store, catalogItemIds: readonly string[]): Map<string, number> {
  if (catalogItemIds.length === 0) return new Map();
  const rows = store.all(
    sql
      .selectFrom('order_items')
      .innerJoin('orders', 'orders.id', 'order_items.order_id')
      .select((eb) => ['order_items.catalog_item_id', eb.fn.sum<number>('order_items.quantity').as('sold')])
      .where('order_items.catalog_item_id', 'in', [...catalogItemIds])
      .where('orders.deleted_at', 'is', null)
      .where('orders.status', 'not in', [...releasedStatuses])
      .groupBy('order_items.catalog_item_id'),
  );
  return new Map(rows.map((row) => [row.catalog_item_id ?? '', Number(row.sold)]));
}

/** The event's sellable catalog (seed 000 "New Order"), by kind then name. */
export function listCatalog(store: Store, eventId?: string | null): { items: CatalogItem[] } {
  const event = resolveEvent(store, eventId);
  const rows = store.all(
    sql
      .selectFrom('catalog_items')
      .select(['id', 'event_id', 'kind', 'name', 'price', 'ledger_amount', 'ticket_type_id', 'capacity'])
      .where('event_id', '=', event.id)
      .where('deleted_at', 'is', null)
      .orderBy('kind')
      .orderBy('name'),
  );
  const sold = unitsSold(
    store,
    rows.map((row) => row.id),
  );
  return {
    items: rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      kind: row.kind,
      name: row.name,
      price: row.price,
      ledgerAmount: row.ledger_amount,
      ticketTypeId: row.ticket_type_id,
      capacity: row.capacity,
      sold: sold.get(row.id) ?? 0,
    })),
  };
}
