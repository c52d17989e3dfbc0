import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema, ticketReferenceSchema } from '../fields.ts';
import { scanDirections, scanVerdicts } from '../enumerations.ts';

export const assignTicketsInput = z.object({
  customerId: idSchema,
  references: z
    .array(ticketReferenceSchema)
    .min(1, 'Give at least one ticket reference')
    .max(200, 'At most 200 ticket references at a time'),
  /** The event the references belong to; default: the terminal's event (or the only one). */
  eventId: idSchema.nullable().optional(),
});

export const setTicketRedeemedInput = z.object({ ticketId: idSchema, redeemed: z.boolean() });

export const setTicketBannedInput = z.object({ ticketId: idSchema, banned: z.boolean() });

const ticketStateOutput = z.object({ ticketId: z.string(), redeemed: z.boolean(), banned: z.boolean() });

export const scanHistoryInput = z.object({ ticketId: idSchema });

export const scanHistoryOutput = z.object({
  ticket: z.object({ id: z.string(), reference: z.string() }),
  scans: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      gate: z.string().nullable(),
      zone: z.string().nullable(),
      direction: z.enum(scanDirections),
      verdict: z.enum(scanVerdicts),
      reason: z.string(),
      deviceId: z.string(),
      operator: z.string().nullable(),
    }),
  ),
});
export type ScanHistory = z.infer<typeof scanHistoryOutput>;

export const ticketOperations = {
  'tickets.assign': operation({
    roles: rolesFrom('box_office'),
    input: assignTicketsInput,
    output: z.object({
      /** Ids of the tickets this call assigned to the customer. */
      assigned: z.array(z.string()),
      /** Ids of the tickets that were the customer's already. */
      unchanged: z.array(z.string()),
    }),
    summary: 'Assigns one or many tickets, by reference, to a customer (all or nothing)',
  }),
  'tickets.setRedeemed': operation({
    roles: rolesFrom('supervisor'),
    input: setTicketRedeemedInput,
    output: ticketStateOutput,
    summary: 'Marks a ticket redeemed (exchanged, no longer opens gates) or valid again',
  }),
  'tickets.setBanned': operation({
    roles: rolesFrom('supervisor'),
    input: setTicketBannedInput,
    output: ticketStateOutput,
    summary: 'Bans or unbans a ticket',
  }),
  'tickets.scanHistory': operation({
    roles: rolesFrom('box_office'),
    input: scanHistoryInput,
    output: scanHistoryOutput,
    summary: 'Every scan of one ticket, newest first',
  }),
} as const;
