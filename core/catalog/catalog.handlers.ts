import type { HandlerMap } from '../api/handlers.ts';
import { listCatalog } from '../orders/catalog-list.ts';
import type { catalogOperations } from './catalog.contract.ts';

export const catalogHandlers: HandlerMap<typeof catalogOperations> = {
  'catalog.list': (context, input) => listCatalog(context.store, input.eventId),
};
