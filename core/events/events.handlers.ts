import type { HandlerMap } from '../api/handlers.ts';
import type { eventOperations } from './events.contract.ts';
import { listEvents } from './list.ts';
import { runCommand } from '../commands/command.ts';
import { chosenEventId } from '../terminal/state.ts';
import { chooseEventCommand } from './choose.ts';
import { dataFolderOverview, demoCodes } from './data-folder.ts';

/** Reads, and the terminal's choice of event (a local command). */
export const eventHandlers: HandlerMap<typeof eventOperations> = {
  'events.list': (context) => ({ events: listEvents(context.store), chosenEventId: chosenEventId(context.store) }),
  'events.choose': (context, input) => runCommand(context, chooseEventCommand, input),
  'events.dataFolder': (context) => dataFolderOverview(context.store),
  'events.demoCodes': (context) => ({ codes: demoCodes(context.store) }),
};
