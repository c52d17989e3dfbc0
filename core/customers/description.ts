import { sql } from '../../db/store.ts';
import { defineCommand } from '../commands/command.ts';
import { setDescriptionInput } from './commands.contract.ts';
import { requireCustomer } from './existing-customer.ts';

/** Seed 004 "Description / internal notice": a note only box-office staff see; '' or null removes it. */
export const setDescription = defineCommand({
  name: 'customers.setDescription',
  version: 1,
  input: setDescriptionInput,
  apply(scope, input) {
    const customer = requireCustomer(scope.store, input.customerId);
    if (customer.description !== input.description) {
      scope.store.run(
        sql
          .updateTable('customers')
          .set({ description: input.description, updated_at: scope.now })
          .where('id', '=', customer.id),
      );
      scope.audit({
        entity: 'customer',
        entityId: customer.id,
        before: { description: customer.description },
        after: { description: input.description },
      });
    }
    return { customerId: customer.id };
  },
});
