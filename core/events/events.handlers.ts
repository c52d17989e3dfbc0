import type { HandlerMap } from '../api/handlers.ts';
import type { eventOperations } from './events.contract.ts';
import { listEvents } from './list.ts';
import { dataFolderOverview, demoCodes } from './data-folder.ts';

/** Reads only: none of these writes a row. */
export const eventHandlers: HandlerMap<typeof eventOperations> = {
  'events.list': (context) => ({ events: listEvents(context.store) }),
  'events.dataFolder': (context) => dataFolderOverview(context.store),
  'events.demoCodes': (context) => ({ codes: demoCodes(context.store) }),
};
