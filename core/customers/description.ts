import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { setDescriptionInput } from './customers.contract.ts';
import { loadCustomer } from './existing-customer.ts';
import { rolesFrom } from '../operators/roles.ts';

/** Seed 004 "Description / internal notice": a note only box-office staff see; '' or null removes it. */
export const setDescription = defineCommand({
  name: 'customers.setDescription',
  version: 1,
  roles: rolesFrom('box_office'),
  input: setDescriptionInput,
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    if (customer.description !== input.description) {
      yield* tx.run(
        query
          .updateTable('customers')
          .set({ description: input.description, updated_at: tx.now })
          .where('id', '=', customer.id),
      );
      yield* tx.audit({
        entity: 'customer',
        entityId: customer.id,
        before: { description: customer.description },
        after: { description: input.description },
      });
    }
    return { customerId: customer.id };
  },
});
