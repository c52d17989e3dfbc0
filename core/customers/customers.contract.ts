import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { credentialStatusSchema } from '../credentials/credential-status.ts';
import { emailSchema, idSchema, optionalText } from '../fields.ts';
import { invalidReasons, orderChannels, orderStatuses, scanDirections, scanVerdicts, ticketStatuses, verificationStatuses } from '../enumerations.ts';
import { clearableEmailSchema, profileFields } from './profile-fields.ts';

/**
 * Every `customers.*` operation. The reads of the customers screen and card (seeds 000, 001, 002,
 * 004): search, list, card and resolving a typed key to a customer. The card's commands: profile,
 * note, alternative e-mails, labels, web user, account creation. The card's ticket and tag commands
 * are in core/tickets and core/tags, the two small reads the dialogs need in core/labels
 * (labels.list) and core/web-users (webUsers.search). Every shape here is the only definition of
 * its type (z.infer), shared with the renderer.
 */

export const verificationStatusSchema = z.enum(verificationStatuses);

/**
 * Text typed or scanned into a box: kept as given, because a ticket reference is the exact barcode
 * text; its length is judged without surrounding whitespace.
 */
const enteredText = (label: string, max: number) =>
  z
    .string()
    .max(max * 5, `${label} is longer than ${max} characters`)
    .refine((text) => text.trim() !== '', `${label} is empty`)
    .refine((text) => text.trim().length <= max, `${label} is longer than ${max} characters`);

// customers.search

export const customerSearchInput = z.object({
  query: enteredText('Search text', 200),
  limit: z.number().int().min(1).max(100).default(25),
});

export const searchMatchKinds = ['ticket', 'tag', 'email', 'phone', 'name'] as const;

export const customerSearchResultSchema = z.object({
  customerId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  verificationStatus: verificationStatusSchema,
  totalSpent: z.number().int(),
  /** Why this customer is in the results, and the value that matched (ticket reference, UID...). */
  matchedBy: z.enum(searchMatchKinds),
  matchedValue: z.string().nullable(),
});
export type CustomerSearchResult = z.infer<typeof customerSearchResultSchema>;

export const customerSearchOutput = z.object({ results: z.array(customerSearchResultSchema) });

// customers.list

export const customerListSorts = ['name', 'created', 'total_spent'] as const;

export const customerListInput = z.object({
  status: z.enum(['all', ...verificationStatuses]).default('all'),
  sort: z.enum(customerListSorts).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type CustomerListInput = z.output<typeof customerListInput>;

export const customerListRowSchema = z.object({
  customerId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  verificationStatus: verificationStatusSchema,
  totalSpent: z.number().int(),
  orderCount: z.number().int(),
  createdAt: z.string(),
});
export type CustomerListRow = z.infer<typeof customerListRowSchema>;

export const customerListOutput = z.object({
  /** Customers matching the status filter, for the list's scroll height. */
  total: z.number().int(),
  rows: z.array(customerListRowSchema),
});
export type CustomerListOutput = z.infer<typeof customerListOutput>;

// customers.card

export const customerCardInput = z.object({
  customerId: idSchema,
  /** Show only orders of this event (the card's event filter). */
  orderEventId: idSchema.nullable().optional(),
  /** Show the deleted orders instead of the others (seed 004 "Deleted orders"). */
  deletedOrders: z.boolean().default(false),
});
export type CustomerCardInput = z.output<typeof customerCardInput>;

const orderChannelSchema = z.enum(orderChannels);
const orderStatusSchema = z.enum(orderStatuses);

export const orderItemSchema = z.object({
  description: z.string(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
});

export const customerProfileSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  postcode: z.string().nullable(),
  address: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  gender: z.string().nullable(),
  verificationStatus: verificationStatusSchema,
  /** The internal note (seed 004): a card with one shows the "i" indicator. */
  description: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** No e-mail and no names (seed 000: created by tag activation). */
  anonymous: z.boolean(),
  displayName: z.string(),
});

const balancesSchema = z.object({
  credit: z.number().int(),
  virtual_credit: z.number().int(),
  token: z.number().int(),
});

export const customerTotalsSchema = z.object({
  /** Sum of the totals of non-deleted paid orders: the list's "total spent". */
  amountSpent: z.number().int(),
  /** Non-deleted orders that were not reserved, expired or canceled. */
  orderCount: z.number().int(),
  averageOrderValue: z.number().int(),
  balances: balancesSchema,
  currency: z.string(),
});

export const timelineEntrySchema = z.object({
  orderId: z.string(),
  number: z.string(),
  at: z.string(),
  channel: orderChannelSchema,
  status: orderStatusSchema,
  total: z.number().int(),
  items: z.array(orderItemSchema),
  timeZone: z.string(),
});

export const lastScanSchema = z.object({
  at: z.string(),
  gate: z.string().nullable(),
  direction: z.enum(scanDirections),
  verdict: z.enum(scanVerdicts),
});

export const cardTicketSchema = z.object({
  id: z.string(),
  reference: z.string(),
  eventId: z.string(),
  ticketTypeId: z.string(),
  ticketType: z.string(),
  status: z.enum(ticketStatuses),
  invalidReason: z.enum(invalidReasons).nullable(),
  /** Admitted at a gate at least once (seed 002 "Valid Used" / "Valid Un-used"). */
  used: z.boolean(),
  redeemed: z.boolean(),
  banned: z.boolean(),
  lastScan: lastScanSchema.nullable(),
  scanCount: z.number().int(),
  orderId: z.string().nullable(),
  /** The one status staff read (core/tickets/ticket-status.ts): invalid > banned > redeemed > used. */
  credentialStatus: credentialStatusSchema,
  /** The ticket's event's time zone: its scans are shown in it. */
  timeZone: z.string(),
});

export const cardTagSchema = z.object({
  id: z.string(),
  uid: z.string(),
  eventId: z.string(),
  ticketTypeId: z.string(),
  ticketType: z.string(),
  active: z.boolean(),
  banned: z.boolean(),
  inactiveReason: z.string().nullable(),
  createdAt: z.string(),
  /** The one status staff read (core/tags/tag-status.ts): banned > inactive (reason) > active. */
  credentialStatus: credentialStatusSchema,
  timeZone: z.string(),
});

export const cardOrderSchema = z.object({
  id: z.string(),
  number: z.string(),
  eventId: z.string(),
  eventName: z.string(),
  channel: orderChannelSchema,
  status: orderStatusSchema,
  /** Seed 004's order card colours: reserved (yellow) or sold (green). */
  kind: z.enum(['sold', 'reserved']),
  total: z.number().int(),
  amountPaid: z.number().int(),
  createdAt: z.string(),
  deletedAt: z.string().nullable(),
  items: z.array(orderItemSchema),
  /** The order's event's time zone: its times are shown in it. */
  timeZone: z.string(),
  /** The order's timeline (order_status_history), oldest first: the order detail. */
  statusHistory: z.array(z.object({ status: z.string(), at: z.string(), note: z.string().nullable() })),
  /** Tickets this order issued, whoever holds them now. */
  tickets: z.array(z.object({ reference: z.string(), ticketType: z.string(), credentialStatus: credentialStatusSchema })),
  /** Gift cards this order issued: the code the holder presents and its value (minor units). */
  giftCards: z.array(z.object({ code: z.string(), value: z.number().int(), status: z.enum(['active', 'canceled']) })),
});

/** One history line, readable as it is (core/customers/card-history.ts): names, never ids. */
export const auditEntrySchema = z.object({
  at: z.string(),
  /** The operator's name, else "this terminal" / "another terminal" (with "(command line)"). */
  who: z.string(),
  /** "Ticket banned", "Profile edited"… */
  action: z.string(),
  /** What it was done to: "Customer profile", "Ticket TCK-1", "Tag 04:A2:24:B2". */
  subject: z.string(),
  changes: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })),
  /** As recorded, for scripts (`--json`): the operator, command and entity. */
  operator: z.string().nullable(),
  operation: z.string(),
  entity: z.string(),
  entityId: z.string(),
});

export const customerCardOutput = z.object({
  profile: customerProfileSchema,
  alternativeEmails: z.array(z.string()),
  labels: z.array(z.object({ id: z.string(), name: z.string(), color: z.string().nullable() })),
  webUser: z
    .object({ id: z.string(), email: z.string(), firstName: z.string().nullable(), lastName: z.string().nullable() })
    .nullable(),
  totals: customerTotalsSchema,
  /** Purchases, newest first (seed 001's timeline); deleted orders are left out. */
  timeline: z.array(timelineEntrySchema),
  tickets: z.array(cardTicketSchema),
  tags: z.array(cardTagSchema),
  /** Order cards, newest first, after the event filter and the deleted-orders switch. */
  orders: z.array(cardOrderSchema),
  /** Events this customer has orders in, for the event filter. */
  events: z.array(z.object({ id: z.string(), name: z.string(), startsAt: z.string().nullable() })),
  /** Latest changes to the customer, its tickets, tags and orders, newest first. */
  history: z.array(auditEntrySchema),
  /**
   * The time zone the card's own times (history, timeline) are shown in: the filtered event's,
   * else the terminal's event's, else UTC. Orders, tickets and tags carry their event's zone.
   */
  timeZone: z.string(),
  /** This terminal's device id, so scans and changes made here read "this terminal" (who-changed.ts). */
  thisDeviceId: z.string().nullable(),
});
export type CustomerCard = z.infer<typeof customerCardOutput>;

// customers.resolve

export const customerResolveInput = z.object({ key: enteredText('Key', 254) });

export const customerResolveOutput = z.object({
  customerId: z.string(),
  matchedBy: z.enum(['id', 'email', 'ticket', 'tag']),
});
export type CustomerResolution = z.infer<typeof customerResolveOutput>;

// The card's commands

export const createAccountInput = z.object({
  email: emailSchema,
  firstName: profileFields.firstName.optional(),
  lastName: profileFields.lastName.optional(),
  phone: profileFields.phone.optional(),
  postcode: profileFields.postcode.optional(),
  address: profileFields.address.optional(),
  city: profileFields.city.optional(),
  country: profileFields.country.optional(),
  gender: profileFields.gender.optional(),
});

export const updateCustomerInput = z.object({
  customerId: idSchema,
  email: clearableEmailSchema.optional(),
  firstName: profileFields.firstName.optional(),
  lastName: profileFields.lastName.optional(),
  phone: profileFields.phone.optional(),
  postcode: profileFields.postcode.optional(),
  address: profileFields.address.optional(),
  city: profileFields.city.optional(),
  country: profileFields.country.optional(),
  gender: profileFields.gender.optional(),
  verificationStatus: verificationStatusSchema.optional(),
});

export const setDescriptionInput = z.object({
  customerId: idSchema,
  description: optionalText(2000, 'Description'),
});

export const alternativeEmailInput = z.object({ customerId: idSchema, email: emailSchema });

export const addLabelInput = z.object({
  customerId: idSchema,
  label: z.string().trim().min(1, 'Label is empty').max(40, 'Label is longer than 40 characters'),
});

export const removeLabelInput = z.object({ customerId: idSchema, labelId: idSchema });

export const connectWebUserInput = z.object({ customerId: idSchema, webUserId: idSchema });

export const disconnectWebUserInput = z.object({ customerId: idSchema });

const customerIdOutput = z.object({ customerId: z.string() });

export const customerOperations = {
  'customers.search': operation({
    roles: rolesFrom('box_office'),
    input: customerSearchInput,
    output: customerSearchOutput,
    summary: 'Find customers by name, e-mail, phone, ticket reference or tag UID',
  }),
  'customers.list': operation({
    roles: rolesFrom('box_office'),
    input: customerListInput,
    output: customerListOutput,
    summary: 'One page of the customers list, filtered by verification status and sorted',
  }),
  'customers.card': operation({
    roles: rolesFrom('box_office'),
    input: customerCardInput,
    output: customerCardOutput,
    summary: "A customer's whole card: profile, totals, tickets, tags, orders, timeline and history",
  }),
  'customers.resolve': operation({
    roles: rolesFrom('box_office'),
    input: customerResolveInput,
    output: customerResolveOutput,
    summary: 'The customer a customer id, e-mail, ticket reference or tag UID belongs to',
  }),
  'customers.createAccount': operation({
    roles: rolesFrom('box_office'),
    input: createAccountInput,
    output: customerIdOutput,
    summary: 'Creates a customer account by hand so staff can sell under it (seed 003)',
  }),
  'customers.update': operation({
    roles: rolesFrom('box_office'),
    input: updateCustomerInput,
    output: customerIdOutput,
    summary: "Edits a customer's profile; only the fields given change, '' or null clears one",
  }),
  'customers.setDescription': operation({
    roles: rolesFrom('box_office'),
    input: setDescriptionInput,
    output: customerIdOutput,
    summary: "Sets or clears the customer's internal note",
  }),
  'customers.addAlternativeEmail': operation({
    roles: rolesFrom('box_office'),
    input: alternativeEmailInput,
    output: customerIdOutput,
    summary: 'Adds an alternative e-mail to a customer',
  }),
  'customers.removeAlternativeEmail': operation({
    roles: rolesFrom('box_office'),
    input: alternativeEmailInput,
    output: customerIdOutput,
    summary: 'Removes an alternative e-mail from a customer',
  }),
  'customers.addLabel': operation({
    roles: rolesFrom('box_office'),
    input: addLabelInput,
    output: z.object({ customerId: z.string(), labelId: z.string() }),
    summary: 'Puts a label (CRM marker such as "VIP") on a customer, creating the label if it is new',
  }),
  'customers.removeLabel': operation({
    roles: rolesFrom('box_office'),
    input: removeLabelInput,
    output: z.object({ customerId: z.string(), labelId: z.string() }),
    summary: 'Takes a label off a customer',
  }),
  'customers.connectWebUser': operation({
    roles: rolesFrom('box_office'),
    input: connectWebUserInput,
    output: customerIdOutput,
    summary: "Connects a web user (the customer's online login) to a customer",
  }),
  'customers.disconnectWebUser': operation({
    roles: rolesFrom('box_office'),
    input: disconnectWebUserInput,
    output: customerIdOutput,
    summary: "Disconnects the customer's web user",
  }),
} as const;
