import { defineCommand } from '../commands/command.ts';
import { readOnStore } from '../commands/reads.ts';
import { createAccountInput } from './customers.contract.ts';
import { assertEmailFree, emailHolder, matchCreatedCustomer } from './email-match.ts';
import { createCustomer, profileColumns, type CustomerProfile, type ProfileField } from './insert.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Seed 003 "Create customer account": staff create an account so they can sell at the point of
 * sale under it. This is the ONLY way to create a customer by hand: everywhere else seed 000's rule
 * holds (a customer only comes into being with a ticket or a tag: import, tag activation), which is
 * why the account needs an e-mail, the key staff and the customer will find it by again.
 *
 * The e-mail is the customer's natural key (email-match.ts). An address this terminal already knows
 * is refused at once, naming whose it is, so staff open that card instead. An address it could not
 * know (another terminal created that customer offline) is matched on the server: this account
 * becomes a tombstone naming that customer, and the receipt says `email_matched`.
 */
export const createAccount = defineCommand({
  name: 'customers.createAccount',
  version: 1,
  roles: rolesFrom('box_office'),
  input: createAccountInput,
  resolve(store, input) {
    readOnStore(store, (reads) => assertEmailFree(reads, input.email, null));
    return input;
  },
  *body(tx, input) {
    const profile: Partial<CustomerProfile> = {};
    const after: Record<string, unknown> = {};
    for (const field of Object.keys(profileColumns) as ProfileField[]) {
      const value = input[field];
      if (value === undefined || value === null) continue;
      profile[profileColumns[field]] = value;
      after[field] = value;
    }
    const customerId = tx.nextId();
    const holder = yield* emailHolder(tx, input.email, null);
    if (holder) return { customerId: yield* matchCreatedCustomer(tx, holder, profile, customerId) };
    yield* createCustomer(tx, profile, customerId);
    yield* tx.audit({ entity: 'customer', entityId: customerId, after });
    return { customerId };
  },
});
