import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema, tagUidSchema } from '../fields.ts';
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

export const tagCommands = {
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
} as const;
