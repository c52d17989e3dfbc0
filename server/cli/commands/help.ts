import { z } from 'zod';
import { commonUsage, defineServerCommand, usageLine, type ServerCliCommand } from '../cli-command.ts';

/** Usage of every command, or of the one named. */
export function usageText(commands: readonly ServerCliCommand[], only?: ServerCliCommand): string {
  if (only) return `Usage: ${usageLine(only)} ${commonUsage}\n  ${only.summary}\n`;
  const lines = [`Usage: box-office-server COMMAND [arguments] ${commonUsage}`, '', 'Commands:'];
  for (const command of commands) lines.push(`  ${usageLine(command).replace(/^box-office-server /, '')}`, `      ${command.summary}`);
  lines.push(
    '',
    'Every command takes:',
    '  --data-dir DIR     the server’s data folder (default: BOX_OFFICE_SERVER_DATA_DIR, else the app-data folder, e.g. ~/.local/share/box-office-server)',
    '  --database URL     PostgreSQL (postgres://…); without it, PGlite in the data folder',
    '  --json             machine-readable output on stdout',
    '',
    'While a server runs on the data folder, commands go through it; otherwise they open its database themselves.',
    'Exit codes: 0 done, 1 refused or failed, 2 bad arguments.',
  );
  return `${lines.join('\n')}\n`;
}

export function helpCommand(commands: () => readonly ServerCliCommand[]) {
  return defineServerCommand({
    name: 'help',
    usage: '[COMMAND]',
    summary: 'Show this help, or the usage of one command',
    options: {},
    positionals: [
      { label: 'COMMAND', field: 'command' },
      { label: 'SUBCOMMAND', field: 'subcommand' },
    ],
    schema: z.object({ command: z.string().optional(), subcommand: z.string().optional() }),
    async run(context, input) {
      const all = commands();
      const wanted = [input.command, input.subcommand].filter((word) => word !== undefined).join(' ');
      context.io.stdout.write(usageText(all, all.find((command) => command.name === wanted)));
      return 0;
    },
  });
}
