import { z } from 'zod';
import { cliArguments, defineCliCommand, OperationFailed } from '../cli-command.ts';
import { formatTable } from '../format.ts';
import { invokeOrFail } from '../invoke.ts';

export const eventsListCommand = defineCliCommand({
  name: 'events list',
  usage: '',
  summary: 'List the events in this data folder; * marks the one this terminal works on',
  options: {},
  positionals: [],
  schema: z.object({}),
  async run(context) {
    const { events, chosenEventId } = await invokeOrFail(context.host(), 'events.list', {});
    const { stdout } = context.io;
    if (context.options.json) stdout.write(`${JSON.stringify({ events, chosenEventId })}\n`);
    else if (events.length === 0) stdout.write('No events yet: import customers with a ticket type, or run box-office seed for the demo.\n');
    else
      stdout.write(
        formatTable(
          ['', 'Name', 'Starts', 'Time zone', 'Id'],
          events.map((event) => [event.id === chosenEventId ? '*' : '', event.name, event.startsAt?.slice(0, 10) ?? '', event.timeZone, event.id]),
        ),
      );
    return 0;
  },
});

export const eventsChooseCommand = defineCliCommand({
  name: 'events choose',
  usage: 'EVENT',
  summary: 'Choose the event this terminal works on when a command names none; EVENT is its id or its name',
  options: {},
  positionals: ['EVENT'],
  schema: z.object({ event: cliArguments.text('EVENT') }),
  async run(context, args) {
    const host = context.host();
    const { events } = await invokeOrFail(host, 'events.list', {});
    const wanted = args.event.toLowerCase();
    const byName = events.filter((event) => event.name.toLowerCase() === wanted);
    const event = events.find((candidate) => candidate.id === args.event) ?? (byName.length === 1 ? byName[0] : undefined);
    if (!event) {
      const message = byName.length > 1 ? `Several events are named ${args.event}: choose one by its id (box-office events list)` : `No event is named ${args.event} (box-office events list shows them)`;
      throw new OperationFailed({ code: 'NOT_FOUND', message, field: 'eventId' });
    }
    const chosen = await invokeOrFail(host, 'events.choose', { eventId: event.id });
    context.io.stdout.write(context.options.json ? `${JSON.stringify(chosen)}\n` : `This terminal now works on ${chosen.name}.\n`);
    return 0;
  },
});
