import type { HandlerMap } from '../api/handlers.ts';
import type { customerQueries } from './queries.contract.ts';
export const customerQueryHandlers: HandlerMap<typeof customerQueries> = {};
