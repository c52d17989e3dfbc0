import type { HandlerMap } from '../api/handlers.ts';
import { runCommand } from '../commands/command.ts';
import { makeTagActive } from './activation.ts';
import { assignTag } from './assign.ts';
import { setTagBanned } from './ban.ts';
import { activateTagForTicket, replaceTag } from './activation-for-ticket.ts';
import type { tagOperations } from './tags.contract.ts';
import { tagScanHistory } from './scan-history.ts';

export const tagHandlers: HandlerMap<typeof tagOperations> = {
  'tags.assign': (context, input) => runCommand(context, assignTag, input),
  'tags.makeActive': (context, input) => runCommand(context, makeTagActive, input),
  'tags.setBanned': (context, input) => runCommand(context, setTagBanned, input),
  'tags.scanHistory': (context, input) => tagScanHistory(context.store, input.tagId),
  'tags.activateForTicket': (context, input) => runCommand(context, activateTagForTicket, input),
  'tags.replace': (context, input) => runCommand(context, replaceTag, input),
};
