import type { HandlerMap } from '../api/handlers.ts';
import type { dataFolderOperations } from './data-folder.contract.ts';
import { dataFolderOverview, demoCodes } from './data-folder.ts';

/** A read: writes nothing. */
export const dataFolderHandlers: HandlerMap<typeof dataFolderOperations> = {
  'events.dataFolder': (context) => dataFolderOverview(context.store),
  'events.demoCodes': (context) => ({ codes: demoCodes(context.store) }),
};
