import type { HandlerMap } from '../api/handlers.ts';
import { runCommand } from '../commands/command.ts';
import { createGate, listGates } from '../checkin/gates.ts';
import type { gateOperations } from './gates.contract.ts';

export const gateHandlers: HandlerMap<typeof gateOperations> = {
  'gates.list': (context, input) => listGates(context.store, input.eventId),
  'gates.create': (context, input) => runCommand(context, createGate, input),
};
