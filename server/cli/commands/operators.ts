import { z } from 'zod';
import { formatTable, formatTime } from '../../../core/cli-text.ts';
import { roleLabels, roles } from '../../../core/operators/roles.ts';
import { adminContract } from '../../admin/admin.contract.ts';
import { defineServerCommand, print } from '../cli-command.ts';

export const operatorsAddCommand = defineServerCommand({
  name: 'operators add',
  usage: `--name NAME --role ${roles.join('|')} --pin PIN`,
  summary: 'Add an operator who signs in on every terminal with a name and a PIN (4 to 12 digits)',
  options: { name: { type: 'string' }, role: { type: 'string' }, pin: { type: 'string' } },
  positionals: [],
  schema: adminContract['operators.add'].input,
  async run(context, input) {
    const added = await (await context.admin()).call('operators.add', input);
    print(context, added, () => `Added ${added.name} (${roleLabels[added.role].toLowerCase()}); terminals receive them at their next sync.\n`);
    return 0;
  },
});

export const operatorsListCommand = defineServerCommand({
  name: 'operators list',
  usage: '',
  summary: 'List the operators every terminal receives, with their roles',
  options: {},
  positionals: [],
  schema: z.object({}),
  async run(context) {
    const listed = await (await context.admin()).call('operators.list', {});
    print(context, listed, () =>
      listed.operators.length === 0
        ? 'No operators yet: box-office-server operators add --name NAME --role admin --pin PIN adds the first admin.\n'
        : formatTable(
            ['Name', 'Role', 'Added (UTC)', 'Id'],
            listed.operators.map((operator) => [operator.name, roleLabels[operator.role], formatTime(operator.createdAt), operator.id]),
          ),
    );
    return 0;
  },
});
