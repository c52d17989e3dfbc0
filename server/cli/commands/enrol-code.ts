import { formatTime } from '../../../core/cli-text.ts';
import { createEnrolmentCodeInput } from '../../admin/admin.contract.ts';
import { defineServerCommand, print } from '../cli-command.ts';

export const enrolCodeCommand = defineServerCommand({
  name: 'enrol-code',
  usage: '--role gate|box_office|supervisor|admin [--event ID] [--expires 24h]',
  summary: 'Make a one-time code a terminal enrols with: it gets the role (and works on that event only)',
  options: { role: { type: 'string' }, event: { type: 'string', field: 'eventId' }, expires: { type: 'string' } },
  positionals: [],
  schema: createEnrolmentCodeInput,
  async run(context, input) {
    const code = await (await context.admin()).call('enrolCodes.create', input);
    const role = input.role.replace('_', ' ');
    const reach = input.eventId === undefined ? 'every event' : `event ${input.eventId}`;
    print(context, code, () => `${code.code}\nFor ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} terminal, ${reach}; works once, until ${formatTime(code.expiresAt)} UTC.\n`);
    return 0;
  },
});
