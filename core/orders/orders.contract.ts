import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema, optionalText } from '../fields.ts';
import { maxQuantityPerLine, quantityMessages } from './quantity.ts';

/** Sales and reservations at the box office, and their deletion. The catalog they sell from is in core/catalog. */

export const orderFlagSchema = z
  .string()
  .trim()
  .min(1, 'A flag is empty')
  .max(40, 'A flag is longer than 40 characters');

export const createOrderInput = z.object({
  customerId: idSchema,
  /** Default: the terminal's event (or the only one). */
  eventId: idSchema.nullable().optional(),
  items: z
    .array(
      z.object({
        catalogItemId: idSchema,
        quantity: z
          .number({ message: quantityMessages.notWhole })
          .int(quantityMessages.notWhole)
          .min(1, quantityMessages.belowOne)
          .max(maxQuantityPerLine, quantityMessages.aboveLineMaximum),
      }),
    )
    .min(1, 'Add at least one item')
    .max(50, 'At most 50 items in one order'),
  /** What the customer paid, in integer minor units of the event's currency. */
  amountPaid: z
    .number({ message: 'Amount paid must be a whole number of cents' })
    .int('Amount paid must be a whole number of cents')
    .min(0, 'Amount paid cannot be negative'),
  flags: z.array(orderFlagSchema).max(10, 'At most 10 flags').optional().default([]),
  /** True: a reservation (yellow person); false: a sale at the box office (green person). */
  reserve: z.boolean().optional().default(false),
  note: optionalText(500, 'Note').optional(),
});

export const deleteOrderInput = z.object({ orderId: idSchema });

export const orderStatusOutput = z.enum(['reserved', 'paid']);

/** What a sale delivered, for the confirmation staff read out to the customer. */
export const createdOrderOutput = z.object({
  orderId: z.string(),
  number: z.string(),
  status: orderStatusOutput,
  /** Integer minor units of the event's currency, as are amountPaid and changeDue. */
  total: z.number().int(),
  amountPaid: z.number().int(),
  /** What to hand back: amountPaid − total on a sale, 0 on a reservation. */
  changeDue: z.number().int(),
  currency: z.string(),
  items: z.array(z.object({ description: z.string(), quantity: z.number().int(), unitPrice: z.number().int() })),
  /** Tickets the sale issued (ticket, access and subscription items, and packs' contents). */
  tickets: z.array(z.object({ reference: z.string(), ticketType: z.string() })),
  /** Gift cards the sale issued, with their value. */
  giftCards: z.array(z.object({ code: z.string(), value: z.number().int() })),
});

export const orderOperations = {
  'orders.create': operation({
    roles: rolesFrom('box_office'),
    input: createOrderInput,
    output: createdOrderOutput,
    summary: 'Sells (paid) or reserves catalog items for a customer at the box office',
  }),
  'orders.delete': operation({
    roles: rolesFrom('supervisor'),
    input: deleteOrderInput,
    output: z.object({ orderId: z.string(), deletedAt: z.string() }),
    summary: "Deletes an order (kept as a deleted order); reverses its ledger entries and cancels its tickets",
  }),
} as const;

export type CreateOrderInput = z.input<typeof createOrderInput>;
export type CreatedOrder = z.infer<typeof createdOrderOutput>;
