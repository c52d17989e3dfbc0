import type { HandlerMap } from '../api/handlers.ts';
import { runCommand } from '../commands/command.ts';
import { createAccount } from './account.ts';
import { addAlternativeEmail, removeAlternativeEmail } from './alternative-emails.ts';
import { customerCard } from './card.ts';
import type { customerOperations } from './customers.contract.ts';
import { setDescription } from './description.ts';
import { addLabel, removeLabel } from './labels.ts';
import { listCustomers } from './list.ts';
import { updateCustomer } from './profile.ts';
import { resolveCustomer } from './resolve.ts';
import { searchCustomers } from './search.ts';
import { connectWebUser, disconnectWebUser } from './web-user.ts';

/**
 * The reads write no row (DESIGN.md section 5); every customer-card command runs through
 * runCommand (one transaction, audit, outbox).
 */
export const customerHandlers: HandlerMap<typeof customerOperations> = {
  'customers.search': (context, input) => ({ results: searchCustomers(context.store, input) }),
  'customers.list': (context, input) => listCustomers(context.store, input),
  'customers.card': (context, input) => customerCard(context.store, input),
  'customers.resolve': (context, input) => resolveCustomer(context.store, input.key),
  'customers.createAccount': (context, input) => runCommand(context, createAccount, input),
  'customers.update': (context, input) => runCommand(context, updateCustomer, input),
  'customers.setDescription': (context, input) => runCommand(context, setDescription, input),
  'customers.addAlternativeEmail': (context, input) => runCommand(context, addAlternativeEmail, input),
  'customers.removeAlternativeEmail': (context, input) => runCommand(context, removeAlternativeEmail, input),
  'customers.addLabel': (context, input) => runCommand(context, addLabel, input),
  'customers.removeLabel': (context, input) => runCommand(context, removeLabel, input),
  'customers.connectWebUser': (context, input) => runCommand(context, connectWebUser, input),
  'customers.disconnectWebUser': (context, input) => runCommand(context, disconnectWebUser, input),
};
