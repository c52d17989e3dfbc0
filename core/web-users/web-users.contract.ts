import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Web users (customers' online logins): the search the customer card's web-user dialog runs.
 * Connecting one to a customer and disconnecting it are customers.connectWebUser and
 * customers.disconnectWebUser (core/customers); the implementation is core/customers/web-user.ts.
 */

export const searchWebUsersInput = z.object({
  query: z.string().trim().min(1, 'Search text is empty').max(200, 'Search text is longer than 200 characters'),
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

export const webUserOperations = {
  'webUsers.search': operation({
    roles: rolesFrom('box_office'),
    input: searchWebUsersInput,
    output: z.object({ webUsers: z.array(webUserSummary) }),
    summary: 'Finds web users (online logins) by name, e-mail or phone prefix',
  }),
} as const;
