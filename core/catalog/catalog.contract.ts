import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema } from '../fields.ts';
import { catalogItemKinds } from '../enumerations.ts';

/**
 * The event's catalog: what the box office sells (orders.create, core/orders). The implementation
 * is core/orders/catalog.ts.
 */

export const catalogListInput = z.object({
  /** Default: the terminal's event (or the only one). */
  eventId: idSchema.nullable().optional(),
});

const catalogItemOutput = z.object({
  id: z.string(),
  eventId: z.string(),
  kind: z.enum(catalogItemKinds),
  name: z.string(),
  /** Integer minor units of the event's currency. */
  price: z.number().int(),
  /** Units one item puts on the customer's ledger (credits in minor units, tokens as a count). */
  ledgerAmount: z.number().int().nullable(),
  ticketTypeId: z.string().nullable(),
  /** Null: unlimited. */
  capacity: z.number().int().nullable(),
  /**
   * Units held by orders that are neither deleted, canceled nor expired (reservations hold
   * capacity), packs sold included (their contents count as units of each content item).
   */
  sold: z.number().int(),
  /** For a pack: what one pack issues. Empty for other kinds. */
  contents: z.array(z.object({ catalogItemId: z.string(), name: z.string(), quantity: z.number().int() })),
  /** Why a sale would not deliver what the item names (shown in the dialog); null when it is sellable. */
  notSellableReason: z.string().nullable(),
});

export const catalogOperations = {
  'catalog.list': operation({
    roles: rolesFrom('box_office'),
    input: catalogListInput,
    output: z.object({ items: z.array(catalogItemOutput) }),
    summary: "Lists the event's catalog items (not deleted) with price, capacity and units sold",
  }),
} as const;

export type CatalogItem = z.infer<typeof catalogItemOutput>;
export type CatalogItemKindName = (typeof catalogItemKinds)[number];
