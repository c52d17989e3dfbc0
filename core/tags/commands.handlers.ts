import type { HandlerMap } from '../api/handlers.ts';
import { runCommand } from '../commands/command.ts';
import { makeTagActive } from './activation.ts';
import { assignTag } from './assign.ts';
import { setTagBanned } from './ban.ts';
import type { tagCommands } from './commands.contract.ts';

export const tagCommandHandlers: HandlerMap<typeof tagCommands> = {
  'tags.assign': (context, input) => runCommand(context, assignTag, input),
  'tags.makeActive': (context, input) => runCommand(context, makeTagActive, input),
  'tags.setBanned': (context, input) => runCommand(context, setTagBanned, input),
};
