import type { HandlerMap } from '../api/handlers.ts';
import { runCommand } from '../commands/command.ts';
import { createAccount } from './account.ts';
import { addAlternativeEmail, removeAlternativeEmail } from './alternative-emails.ts';
import type { customerCommands } from './commands.contract.ts';
import { setDescription } from './description.ts';
import { addLabel, listLabels, removeLabel } from './labels.ts';
import { updateCustomer } from './profile.ts';
import { connectWebUser, disconnectWebUser, searchWebUsers } from './web-user.ts';

/** Every customer-card command runs through runCommand (one transaction, audit, outbox). */
export const customerCommandHandlers: HandlerMap<typeof customerCommands> = {
  'customers.createAccount': (context, input) => runCommand(context, createAccount, input),
  'customers.update': (context, input) => runCommand(context, updateCustomer, input),
  'customers.setDescription': (context, input) => runCommand(context, setDescription, input),
  'customers.addAlternativeEmail': (context, input) => runCommand(context, addAlternativeEmail, input),
  'customers.removeAlternativeEmail': (context, input) => runCommand(context, removeAlternativeEmail, input),
  'customers.addLabel': (context, input) => runCommand(context, addLabel, input),
  'customers.removeLabel': (context, input) => runCommand(context, removeLabel, input),
  'labels.list': (context) => listLabels(context),
  'webUsers.search': (context, input) => searchWebUsers(context, input),
  'customers.connectWebUser': (context, input) => runCommand(context, connectWebUser, input),
  'customers.disconnectWebUser': (context, input) => runCommand(context, disconnectWebUser, input),
};
