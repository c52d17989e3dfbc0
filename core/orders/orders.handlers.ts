import type { HandlerMap } from '../api/handlers.ts';
import { runCommand } from '../commands/command.ts';
import { listCatalog } from './catalog-list.ts';
import { createOrder } from './create-order.ts';
import { deleteOrder } from './delete-order.ts';
import type { orderOperations } from './orders.contract.ts';

export const orderHandlers: HandlerMap<typeof orderOperations> = {
  'catalog.list': (context, input) => listCatalog(context.store, input.eventId),
  'orders.create': (context, input) => runCommand(context, createOrder, input),
  'orders.delete': (context, input) => runCommand(context, deleteOrder, input),
};
