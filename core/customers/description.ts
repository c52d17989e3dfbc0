import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { setDescriptionInput } from './customers.contract.ts';
import { loadCustomer } from './existing-customer.ts';
import { decideStampedEdit } from './last-writer-wins.ts';
import { reportOverwrittenFields } from './overwritten-fields.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Seed 004 "Description / internal notice": a note only box-office staff see; '' or null removes it.
 * Last writer wins by HLC, as for the profile's fields (customers.update): a note written later on
 * another terminal stays, and this one is kept in the audit entry under `notApplied`.
 */
export const setDescription = defineCommand({
  name: 'customers.setDescription',
  version: 1,
  roles: rolesFrom('box_office'),
  input: setDescriptionInput,
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    if (customer.description === input.description) return { customerId: customer.id };
    const edit = decideStampedEdit(customer.field_hlcs, tx.envelope.hlc, ['description']);
    if (edit.overwritten.length > 0) {
      yield* tx.audit({ entity: 'customer', entityId: customer.id, before: {}, after: { notApplied: { description: input.description } } });
      reportOverwrittenFields(tx, customer, ['description']);
      return { customerId: customer.id };
    }
    yield* tx.run(
      query
        .updateTable('customers')
        .set({ description: input.description, field_hlcs: edit.fieldHlcs, updated_at: tx.now })
        .where('id', '=', customer.id),
    );
    yield* tx.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { description: customer.description },
      after: { description: input.description },
    });
    return { customerId: customer.id };
  },
});
