import { sql, type Store } from '../../db/store.ts';
import { readOnStore } from '../commands/reads.ts';
import { resolveEvent } from '../events/current.ts';
import { packContents, unitsSold } from './catalog.ts';
import { whyNotSellable } from './delivery.ts';
import type { CatalogItem } from '../catalog/catalog.contract.ts';

/** The event's catalog (seed 000 "New Order"), by kind then name, each with why it cannot be sold, if so. */
export function listCatalog(store: Store, eventId?: string | null): { items: CatalogItem[] } {
  const event = resolveEvent(store, eventId);
  const rows = store.all(
    sql.selectFrom('catalog_items').selectAll().where('event_id', '=', event.id).where('deleted_at', 'is', null).orderBy('kind').orderBy('name'),
  );
  const sold = readOnStore(store, (reads) =>
    unitsSold(
      reads,
      rows.map((row) => row.id),
    ),
  );
  const contents = readOnStore(store, (reads) =>
    packContents(
      reads,
      rows.filter((row) => row.kind === 'pack').map((row) => row.id),
    ),
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
