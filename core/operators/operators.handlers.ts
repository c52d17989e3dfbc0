import type { HandlerMap } from '../api/handlers.ts';
import type { operatorOperations } from './operators.contract.ts';
import { addOperator, createFirstAdmin, currentOperator, listOperators, removeOperator, signIn, signOut, updateOperator } from './operators.ts';

export const operatorHandlers: HandlerMap<typeof operatorOperations> = {
  'operators.current': (context) => currentOperator(context),
  'operators.signIn': (context, input) => signIn(context, input),
  'operators.signOut': (context) => signOut(context),
  'operators.createFirstAdmin': (context, input) => createFirstAdmin(context, input),
  'operators.add': (context, input) => addOperator(context, input),
  'operators.update': (context, input) => updateOperator(context, input),
  'operators.remove': (context, input) => removeOperator(context, input),
  'operators.list': (context) => listOperators(context.store),
};
