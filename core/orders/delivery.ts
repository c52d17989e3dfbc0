import type { Selectable } from 'kysely';
import type { CatalogItemTable } from '../../db/schema.ts';
import { ledgerKinds, type CatalogItemKind, type LedgerKind } from '../enumerations.ts';

/**
 * What a sale of each catalog kind delivers (issue 8: every kind sold delivers what it names, or
 * is not sellable until it does). Pure rules, so the dialog's "not sellable" reason and the
 * refusal of orders.create are the same sentence.
 *
 * - ticket, access, subscription: one ticket of the item's ticket type per unit (an access or a
 *   season pass is an entry right; the ticket type says where and when it admits).
 * - credit, virtual credit, token: the item's ledger amount per unit on the customer's ledger.
 * - gift card: one gift card per unit with a code and its value recorded.
 * - product: handed over at the counter; the order line is the record of it.
 * - pack: its contents (pack_contents), each delivered as if sold on its own.
 */

/** The catalog item columns that decide what a sale delivers. */
export type DeliverableItem = Pick<
  Selectable<CatalogItemTable>,
  'id' | 'event_id' | 'kind' | 'name' | 'price' | 'ledger_amount' | 'ticket_type_id' | 'deleted_at'
>;

export interface PackContent<Item extends DeliverableItem = DeliverableItem> {
  item: Item;
  /** Units of `item` in one pack. */
  quantity: number;
}

export const ticketIssuingKinds: ReadonlySet<CatalogItemKind> = new Set<CatalogItemKind>(['ticket', 'access', 'subscription']);
export const ledgerItemKinds: ReadonlySet<CatalogItemKind> = new Set<LedgerKind>(ledgerKinds);

/** A gift card is worth its ledger amount when the organiser set one (a €50 card sold for €45), else its price. */
export function giftCardValue(item: Pick<DeliverableItem, 'ledger_amount' | 'price'>): number {
  return item.ledger_amount ?? item.price;
}

/** Why a sale of this item would not deliver what it names, in words for staff; null when it would. */
export function whyNotSellable(item: DeliverableItem, contents: readonly PackContent[] = []): string | null {
  if (ticketIssuingKinds.has(item.kind)) {
    return item.ticket_type_id === null ? 'No ticket type is set for it, so a sale would issue no ticket.' : null;
  }
  if (ledgerItemKinds.has(item.kind)) {
    return (item.ledger_amount ?? 0) <= 0 ? 'No amount is set for it, so a sale would put nothing on the balance.' : null;
  }
  if (item.kind === 'gift_card') {
    return giftCardValue(item) <= 0 ? 'It has no value, so a sale would issue an empty gift card.' : null;
  }
  if (item.kind === 'pack') return whyPackNotSellable(item, contents);
  return null;
}

function whyPackNotSellable(pack: DeliverableItem, contents: readonly PackContent[]): string | null {
  if (contents.length === 0) return 'Its contents are not set, so a sale would issue nothing.';
  for (const { item } of contents) {
    if (item.kind === 'pack') return `It contains another pack (${item.name}); a pack holds tickets, credits and other items only.`;
    if (item.deleted_at !== null) return `It contains ${item.name}, which was removed from the catalog.`;
    if (item.event_id !== pack.event_id) return `It contains ${item.name}, which belongs to another event.`;
    const reason = whyNotSellable(item);
    if (reason !== null) return `It contains ${item.name}, which cannot be sold: ${reason}`;
  }
  return null;
}

/** A line of an order as the units it delivers: a pack becomes its contents, anything else itself. */
export interface Delivery<Item extends DeliverableItem = DeliverableItem> {
  item: Item;
  quantity: number;
  /** The pack it came in, when it came in one. */
  pack: Item | null;
}

export function deliveriesOf<Item extends DeliverableItem>(
  line: { item: Item; quantity: number },
  contentsOf: (packId: string) => readonly PackContent<Item>[],
): Delivery<Item>[] {
  if (line.item.kind !== 'pack') return [{ item: line.item, quantity: line.quantity, pack: null }];
  return contentsOf(line.item.id).map((content) => ({ item: content.item, quantity: content.quantity * line.quantity, pack: line.item }));
}
