import type { HandlerMap } from '../api/handlers.ts';
import type { dataFolderOperations } from './data-folder.contract.ts';
import { dataFolderOverview } from './data-folder.ts';

/** A read: writes nothing. */
export const dataFolderHandlers: HandlerMap<typeof dataFolderOperations> = {
  'events.dataFolder': (context) => dataFolderOverview(context.store),
};
