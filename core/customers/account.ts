import { defineCommand } from '../commands/command.ts';
import { createAccountInput } from './customers.contract.ts';
import { createCustomer, type CustomerProfile } from './insert.ts';
import { assertEmailFree, profileColumns, type ProfileField } from './profile.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Seed 003 "Create customer account": staff create an account so they can sell at the point of
 * sale under it. This is the ONLY way to create a customer by hand: everywhere else seed 000's rule
 * holds (a customer only comes into being with a ticket or a tag: import, tag activation), which is
 * why the account needs an e-mail, the key staff and the customer will find it by again.
 */
export const createAccount = defineCommand({
  name: 'customers.createAccount',
  version: 1,
  roles: rolesFrom('box_office'),
  input: createAccountInput,
  *body(tx, input) {
    yield* assertEmailFree(tx, input.email, null);
    const profile: Partial<CustomerProfile> = {};
    const after: Record<string, unknown> = {};
    for (const field of Object.keys(profileColumns) as ProfileField[]) {
      const value = input[field];
      if (value === undefined || value === null) continue;
      profile[profileColumns[field]] = value;
      after[field] = value;
    }
    const customerId = yield* createCustomer(tx, profile, tx.nextId());
    yield* tx.audit({ entity: 'customer', entityId: customerId, after });
    return { customerId };
  },
});
