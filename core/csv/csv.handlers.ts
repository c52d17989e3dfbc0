import type { HandlerMap } from '../api/handlers.ts';
import type { csvOperations } from './csv.contract.ts';
export const csvHandlers: HandlerMap<typeof csvOperations> = {};
