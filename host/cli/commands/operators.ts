import { z } from 'zod';
import { roleLabels, roles } from '../../../core/operators/roles.ts';
import { cliArguments, defineCliCommand } from '../cli-command.ts';
import { formatTable } from '../format.ts';
import { invokeOrFail } from '../invoke.ts';

export const operatorsAddCommand = defineCliCommand({
  name: 'operators add',
  usage: `--name NAME --role ${roles.join('|')} --pin PIN`,
  summary: 'Add an operator who signs in with a name and a PIN (4 to 12 digits)',
  options: { name: { type: 'string' }, role: { type: 'string' }, pin: { type: 'string' } },
  positionals: [],
  schema: z.object({ name: cliArguments.text('--name'), role: cliArguments.text('--role'), pin: cliArguments.text('--pin') }),
  async run(context, args) {
    const host = context.host();
    // The role and PIN rules are core's (operators.add validates them and names the field).
    const added = await invokeOrFail(host, 'operators.add', { name: args.name, role: args.role as (typeof roles)[number], pin: args.pin });
    if (context.options.json) context.io.stdout.write(`${JSON.stringify(added)}\n`);
    else context.io.stdout.write(`Added ${added.name} (${roleLabels[added.role].toLowerCase()}).\n`);
    return 0;
  },
});

export const operatorsListCommand = defineCliCommand({
  name: 'operators list',
  usage: '',
  summary: 'List the operators and their roles',
  options: {},
  positionals: [],
  schema: z.object({}),
  async run(context) {
    const { operators } = await invokeOrFail(context.host(), 'operators.list', {});
    const { stdout } = context.io;
    if (context.options.json) stdout.write(`${JSON.stringify({ operators })}\n`);
    else if (operators.length === 0) stdout.write('No operators yet: box-office operators add --name NAME --role admin --pin PIN adds the first admin.\n');
    else stdout.write(formatTable(['Name', 'Role', 'Added'], operators.map((operator) => [operator.name, roleLabels[operator.role], operator.createdAt.slice(0, 10)])));
    return 0;
  },
});
