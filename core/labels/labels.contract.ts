import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Labels (CRM markers such as "VIP"): the list the customer card's label dialog offers. Putting a
 * label on a customer and taking it off are customers.addLabel and customers.removeLabel
 * (core/customers); the implementation is core/customers/labels.ts.
 */

export const labelSummary = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().nullable(),
  /** Customers (not deleted) carrying this label. */
  customerCount: z.number().int(),
});

export const labelOperations = {
  'labels.list': operation({
    roles: rolesFrom('box_office'),
    input: z.object({}),
    output: z.object({ labels: z.array(labelSummary) }),
    summary: 'Lists every label with the number of customers carrying it',
  }),
} as const;
