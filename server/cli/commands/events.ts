import { z } from 'zod';
import { formatTable, formatTimeIn } from '../../../core/cli-text.ts';
import { adminContract } from '../../admin/admin.contract.ts';
import { defineServerCommand, print } from '../cli-command.ts';

export const eventsCreateCommand = defineServerCommand({
  name: 'events create',
  usage: '--name NAME --starts 2026-07-10T18:00:00+02:00 --ends … --time-zone Europe/Amsterdam --currency EUR',
  summary: 'Create an event; its ticket types, gates and catalog come from an admin terminal',
  options: {
    name: { type: 'string' },
    starts: { type: 'string', field: 'startsAt' },
    ends: { type: 'string', field: 'endsAt' },
    'time-zone': { type: 'string', field: 'timeZone' },
    currency: { type: 'string' },
  },
  positionals: [],
  schema: adminContract['events.create'].input,
  async run(context, input) {
    const created = await (await context.admin()).call('events.create', input);
    print(context, created, () => `Created ${input.name} (${created.id}).\n`);
    return 0;
  },
});

export const eventsListCommand = defineServerCommand({
  name: 'events list',
  usage: '',
  summary: 'List the events, earliest first, their times on the venue’s clock',
  options: {},
  positionals: [],
  schema: z.object({}),
  async run(context) {
    const listed = await (await context.admin()).call('events.list', {});
    print(context, listed, () =>
      listed.events.length === 0
        ? 'No events yet: box-office-server events create makes one.\n'
        : formatTable(
            ['Name', 'Starts', 'Ends', 'Time zone', 'Currency', 'Id'],
            listed.events.map((event) => [event.name, formatTimeIn(event.startsAt, event.timeZone), formatTimeIn(event.endsAt, event.timeZone), event.timeZone, event.currency, event.id]),
          ),
    );
    return 0;
  },
});
