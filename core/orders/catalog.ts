import type { Selectable } from 'kysely';
import type { CatalogItemTable } from '../../db/schema.ts';
import { query } from '../commands/query-builder.ts';
import type { Reads } from '../commands/reads.ts';
import { compareCodePoints } from '../customers/code-points.ts';
import type { PackContent } from './delivery.ts';

/**
 * Read helpers shared by orders.create's body and the catalog the New order dialog lists
 * (catalog-list.ts): written over the transaction interface's read steps, so the dialog's "sold"
 * and the capacity the command checks are one query.
 */

export type CatalogItemRow = Selectable<CatalogItemTable>;

/** Orders that no longer hold their items: a reservation that lapsed or an order called off. */
export const releasedStatuses = ['canceled', 'expired'] as const;

/**
 * Units of each given catalog item held by live orders (not deleted, not canceled, not expired):
 * sold on their own line, plus those inside packs sold (4 Weekend tickets per Friends pack).
 * Reservations hold capacity: what is reserved at the counter cannot be sold twice.
 */
export function* unitsSold(reads: Reads, catalogItemIds: readonly string[]) {
  const sold = new Map<string, number>();
  if (catalogItemIds.length === 0) return sold;
  const direct = yield* reads.all(
    query
      .selectFrom('order_items')
      .innerJoin('orders', 'orders.id', 'order_items.order_id')
      .select((eb) => ['order_items.catalog_item_id as id', eb.fn.sum<number>('order_items.quantity').as('sold')])
      .where('order_items.catalog_item_id', 'in', [...catalogItemIds])
      .where('orders.deleted_at', 'is', null)
      .where('orders.status', 'not in', [...releasedStatuses])
      .groupBy('order_items.catalog_item_id'),
  );
  const inPacks = yield* reads.all(
    query
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
  // Sums, so the order the groups come back in (which differs between SQLite and PostgreSQL) does not matter.
  for (const row of [...direct, ...inPacks]) sold.set(row.id ?? '', (sold.get(row.id ?? '') ?? 0) + Number(row.sold ?? 0));
  return sold;
}

/**
 * What each given pack holds (its live contents, in name order), keyed by the pack's id. The order
 * decides which ticket and gift card a sale issues first, so it is made here, the same on every
 * store: SQLite's binary order of the names (PostgreSQL's collation may differ), then the id.
 */
export function* packContents(reads: Reads, packIds: readonly string[]) {
  const contents = new Map<string, PackContent<CatalogItemRow>[]>();
  if (packIds.length === 0) return contents;
  const rows = yield* reads.all(
    query
      .selectFrom('pack_contents')
      .innerJoin('catalog_items', 'catalog_items.id', 'pack_contents.content_item_id')
      .selectAll('catalog_items')
      .select(['pack_contents.pack_item_id', 'pack_contents.quantity as content_quantity'])
      .where('pack_contents.pack_item_id', 'in', [...packIds])
      .where('pack_contents.deleted_at', 'is', null),
  );
  rows.sort((a, b) => compareCodePoints(a.name, b.name) || compareCodePoints(a.id, b.id));
  for (const { pack_item_id, content_quantity, ...item } of rows) {
    const list = contents.get(pack_item_id) ?? [];
    list.push({ item, quantity: content_quantity });
    contents.set(pack_item_id, list);
  }
  return contents;
}
