import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema, tagUidSchema, ticketReferenceSchema } from '../fields.ts';
import { scanHistoryOutput } from '../tickets/tickets.contract.ts';
import { isRandomUid } from './random-uid.ts';

/** A UID that may be bound to a customer: any common spelling, and not a phone's random UID. */
export const wristbandUidSchema = tagUidSchema.refine((uid) => !isRandomUid(uid), {
  message: 'UID is a random UID, not a wristband (phones and bank cards show a new UID on every tap)',
});

export const assignTagInput = z.object({
  customerId: idSchema,
  uid: wristbandUidSchema,
  ticketTypeId: idSchema,
  /** Make the new tag the customer's active one even if another tag is active in that event. */
  makeActive: z.boolean().optional(),
});

export const makeTagActiveInput = z.object({ tagId: idSchema });

export const setTagBannedInput = z.object({ tagId: idSchema, banned: z.boolean() });

const tagStateOutput = z.object({ tagId: z.string(), active: z.boolean(), banned: z.boolean() });

export const tagScanHistoryInput = z.object({ tagId: idSchema });

export const tagScanHistoryOutput = z.object({
  tag: z.object({ id: z.string(), uid: z.string() }),
  scans: scanHistoryOutput.shape.scans,
});

export const activateForTicketInput = z.object({
  ticketReference: ticketReferenceSchema,
  uid: wristbandUidSchema,
  eventId: idSchema.nullable().optional(),
});

export const activateForTicketOutput = z.object({
  customerId: z.string(),
  tagId: z.string(),
  ticketId: z.string(),
  /** The customer's tags that were active before and are now inactive ('replaced'). */
  replacedTagIds: z.array(z.string()),
  /** True when the ticket had no customer and an anonymous one was created for it. */
  customerCreated: z.boolean(),
});

export const replaceTagInput = z
  .object({
    oldTagId: idSchema.optional(),
    oldUid: wristbandUidSchema.optional(),
    newUid: wristbandUidSchema,
    eventId: idSchema.nullable().optional(),
  })
  .refine((input) => (input.oldTagId === undefined) !== (input.oldUid === undefined), {
    message: 'Give the lost wristband as oldTagId or oldUid (one of them)',
    path: ['oldTagId'],
  });

export const replaceTagOutput = z.object({
  customerId: z.string(),
  tagId: z.string(),
  replacedTagIds: z.array(z.string()),
});

export const tagOperations = {
  'tags.assign': operation({
    roles: rolesFrom('box_office'),
    input: assignTagInput,
    output: z.object({ tagId: z.string(), active: z.boolean() }),
    summary: "Registers an NFC tag (wristband) by UID for a customer with a ticket type; the tag's event is the ticket type's",
  }),
  'tags.makeActive': operation({
    roles: rolesFrom('box_office'),
    input: makeTagActiveInput,
    output: tagStateOutput,
    summary: "Makes a tag the customer's one active tag in its event, deactivating the others",
  }),
  'tags.setBanned': operation({
    roles: rolesFrom('supervisor'),
    input: setTagBannedInput,
    output: tagStateOutput,
    summary: 'Bans or unbans a tag; the active flag is kept',
  }),
  'tags.scanHistory': operation({
    roles: rolesFrom('box_office'),
    input: tagScanHistoryInput,
    output: tagScanHistoryOutput,
    summary: 'Every scan of one tag (wristband), newest first',
  }),
  'tags.activateForTicket': operation({
    roles: rolesFrom('box_office'),
    input: activateForTicketInput,
    output: activateForTicketOutput,
    summary: "Exchanges a ticket for a wristband: binds the tag to the ticket's customer (anonymous if none), makes it active, redeems the ticket",
  }),
  'tags.replace': operation({
    roles: rolesFrom('box_office'),
    input: replaceTagInput,
    output: replaceTagOutput,
    summary: 'Replaces a lost wristband: the old tag becomes inactive (replaced), the new one active with the same type',
  }),
} as const;
