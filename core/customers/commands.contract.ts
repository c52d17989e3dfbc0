import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { emailSchema, idSchema, optionalText } from '../fields.ts';
import { clearableEmailSchema, profileFields } from './profile-fields.ts';
import { verificationStatusSchema } from './queries.contract.ts';

/**
 * The customer card's commands (profile, note, alternative e-mails, labels, web user, account
 * creation) and the two small reads their dialogs need (labels.list, webUsers.search). The
 * card's ticket and tag commands are in core/tickets and core/tags.
 */

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

export const searchWebUsersInput = z.object({
  query: z.string().trim().min(1, 'Search text is empty').max(200, 'Search text is longer than 200 characters'),
});

const customerIdOutput = z.object({ customerId: z.string() });

export const labelSummary = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().nullable(),
  /** Customers (not deleted) carrying this label. */
  customerCount: z.number().int(),
});

export const webUserSummary = z.object({
  id: z.string(),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  /** The (not deleted) customer this web user is connected to, shown before staff press "Set". */
  connectedTo: z.object({ customerId: z.string(), name: z.string() }).nullable(),
});

export const customerCommands = {
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
  'labels.list': operation({
    roles: rolesFrom('box_office'),
    input: z.object({}),
    output: z.object({ labels: z.array(labelSummary) }),
    summary: 'Lists every label with the number of customers carrying it',
  }),
  'webUsers.search': operation({
    roles: rolesFrom('box_office'),
    input: searchWebUsersInput,
    output: z.object({ webUsers: z.array(webUserSummary) }),
    summary: 'Finds web users (online logins) by name, e-mail or phone prefix',
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
