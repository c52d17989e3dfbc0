import type { HandlerMap } from '../api/handlers.ts';
import type { customerCommands } from './commands.contract.ts';
export const customerCommandHandlers: HandlerMap<typeof customerCommands> = {};
