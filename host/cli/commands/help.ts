import { z } from 'zod';
import { defineCliCommand, usageLine, type CliCommand } from '../cli-command.ts';

/** Usage of every command (or of the one named), for `help`, `--help` and `COMMAND --help`. */
export function usageText(commands: readonly CliCommand[], only?: CliCommand): string {
  if (only) return `Usage: ${usageLine(only)}\n  ${only.summary}\n`;
  const lines = ['Usage: box-office COMMAND [arguments] [--data-dir DIR] [--json] [--operator NAME]', '', 'Commands:'];
  for (const command of commands) lines.push(`  ${usageLine(command).replace(/^box-office /, '').replace(/ \[--data-dir DIR\] \[--json\] \[--operator NAME\]$/, '')}`, `      ${command.summary}`);
  lines.push(
    '',
    'Every command takes:',
    '  --data-dir DIR  the data folder (default: BOX_OFFICE_DATA_DIR, else the app-data folder, e.g. ~/.config/Box Office)',
    '  --json          machine-readable output on stdout',
    '',
    'Exit codes: 0 done, 1 refused (unknown customer, invalid data...), 2 bad arguments or unreadable file.',
  );
  return `${lines.join('\n')}\n`;
}

export function helpCommand(commands: () => readonly CliCommand[]) {
  return defineCliCommand({
    name: 'help',
    usage: '[COMMAND]',
    summary: 'Show this help, or the usage of one command',
    options: {},
    positionals: ['COMMAND...'],
    schema: z.object({ command: z.array(z.string()).optional() }),
    async run(context, args) {
      const all = commands();
      const wanted = args.command?.join(' ');
      const only = wanted ? all.find((command) => command.name === wanted) : undefined;
      context.io.stdout.write(usageText(all, only));
      return 0;
    },
  });
}
