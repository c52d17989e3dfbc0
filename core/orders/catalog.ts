import type { Selectable } from 'kysely';
import type { CatalogItemTable } from '../../db/schema.ts';
import { sql, type Store } from '../../db/store.ts';
import { resolveEvent } from '../events/current.ts';
import { whyNotSellable, type PackContent } from './delivery.ts';
import type { CatalogItem } from './orders.contract.ts';

export type CatalogItemRow = Selectable<CatalogItemTable>;

/** Orders that no longer hold their items: a reservation that lapsed or an order called off. */
export const releasedStatuses = ['canceled', 'expired'] as const;

/**
 * Units of each given catalog item held by live orders (not deleted, not canceled, not expired):
 * sold on their own line, plus those inside packs sold (4 Weekend tickets per Friends pack).
 * Reservations hold capacity: what is reserved at the counter cannot be sold twice.
 */
export function unitsSold(store: Store, catalogItemIds: readonly string[]): Map<string, number> {
  if (catalogItemIds.length === 0) return new Map();
  const direct = store.all(
    sql
      .selectFrom('order_items')
      .innerJoin('orders', 'orders.id', 'order_items.order_id')
      .select((eb) => ['order_items.catalog_item_id as id', eb.fn.sum<number>('order_items.quantity').as('sold')])
      .where('order_items.catalog_item_id', 'in', [...catalogItemIds])
      .where('orders.deleted_at', 'is', null)
      .where('orders.status', 'not in', [...releasedStatuses])
      .groupBy('order_items.catalog_item_id'),
  );
  const inPacks = store.all(
    sql
      .selectFrom('pack_contents')
      .innerJoin('order_items', 'order_items.catalog_item_id', 'pack_contents.pack_item_id')
      .innerJoin('orders', 'orders.id', 'order_items.order_id')
      .select((eb) => [
        'pack_contents.content_item_id as id',
        eb.fn.sum<number>(eb('order_items.quantity', '*', eb.ref('pack_contents.quantity'))).as('sold'),
      ])
      .where('pack_contents.content_item_id', 'in', [...catalogItemIds])
      .where('pack_contents.deleted_at', 'is', null)
      .where('orders.deleted_at', 'is', null)
      .where('orders.status', 'not in', [...releasedStatuses])
      .groupBy('pack_contents.content_item_id'),
  );
  const sold = new Map<string, number>();
  for (const row of [...direct, ...inPacks]) sold.set(row.id ?? '', (sold.get(row.id ?? '') ?? 0) + Number(row.sold));
  return sold;
}

/** What each given pack holds (its live contents, in name order), keyed by the pack's id. */
export function packContents(store: Store, packIds: readonly string[]): Map<string, PackContent<CatalogItemRow>[]> {
  const contents = new Map<string, PackContent<CatalogItemRow>[]>();
  if (packIds.length === 0) return contents;
  const rows = store.all(
    sql
      .selectFrom('pack_contents')
      .innerJoin('catalog_items', 'catalog_items.id', 'pack_contents.content_item_id')
      .selectAll('catalog_items')
      .select(['pack_contents.pack_item_id', 'pack_contents.quantity as content_quantity'])
      .where('pack_contents.pack_item_id', 'in', [...packIds])
      .where('pack_contents.deleted_at', 'is', null)
      .orderBy('catalog_items.name'),
  );
  for (const { pack_item_id, content_quantity, ...item } of rows) {
    const list = contents.get(pack_item_id) ?? [];
    list.push({ item, quantity: content_quantity });
    contents.set(pack_item_id, list);
  }
  return contents;
}

/** The event's catalog (seed 000 "New Order"), by kind then name, each with why it cannot be sold, if so. */
export function listCatalog(store: Store, eventId?: string | null): { items: CatalogItem[] } {
  const event = resolveEvent(store, eventId);
  const rows = store.all(
    sql.selectFrom('catalog_items').selectAll().where('event_id', '=', event.id).where('deleted_at', 'is', null).orderBy('kind').orderBy('name'),
  );
  const sold = unitsSold(
    store,
    rows.map((row) => row.id),
  );
  const contents = packContents(
    store,
    rows.filter((row) => row.kind === 'pack').map((row) => row.id),
  );
  return {
    items: rows.map((row) => {
      const packed = contents.get(row.id) ?? [];
      return {
        id: row.id,
        eventId: row.event_id,
        kind: row.kind,
        name: row.name,
        price: row.price,
        ledgerAmount: row.ledger_amount,
        ticketTypeId: row.ticket_type_id,
        capacity: row.capacity,
        sold: sold.get(row.id) ?? 0,
        contents: packed.map((content) => ({ catalogItemId: content.item.id, name: content.item.name, quantity: content.quantity })),
        notSellableReason: whyNotSellable(row, packed),
      };
    }),
  };
}
