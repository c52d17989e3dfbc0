import { oneLine } from '../../core/cli-text.ts';
import { systemClock } from '../../core/clock.ts';
import { DomainError } from '../../core/errors.ts';
import { resolveServerDataDir } from '../data-folder.ts';
import { openAdminClient, type AdminClient } from './admin-client.ts';
import { OperationFailed, parseCommandLine, UsageError, usageLine, type ServerCliCommand, type ServerCliContext, type ServerCliIo } from './cli-command.ts';
import { devicesListCommand, devicesRevokeCommand } from './commands/devices.ts';
import { enrolCodeCommand } from './commands/enrol-code.ts';
import { eventsCreateCommand, eventsListCommand } from './commands/events.ts';
import { helpCommand, usageText } from './commands/help.ts';
import { operatorsAddCommand, operatorsListCommand } from './commands/operators.ts';
import { startCommand } from './commands/start.ts';
import { statusCommand } from './commands/status.ts';

export const serverCommands: readonly ServerCliCommand[] = [
  startCommand,
  enrolCodeCommand,
  devicesListCommand,
  devicesRevokeCommand,
  operatorsAddCommand,
  operatorsListCommand,
  eventsCreateCommand,
  eventsListCommand,
  statusCommand,
  helpCommand(() => serverCommands),
];

const complain = (io: ServerCliIo, message: string) => io.stderr.write(`box-office-server: ${oneLine(message)}\n`);

/** The command named by argv's first two words, or its first; its words come before any option. */
function commandOf(argv: readonly string[]): { command: ServerCliCommand | undefined; rest: readonly string[] } {
  for (const count of [2, 1]) {
    const words = argv.slice(0, count);
    const command = words.length === count ? serverCommands.find((candidate) => candidate.name === words.join(' ')) : undefined;
    if (command) return { command, rest: argv.slice(count) };
  }
  return { command: undefined, rest: argv };
}

/** Runs `box-office-server` with argv (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: ServerCliIo): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h') {
    (first === undefined ? io.stderr : io.stdout).write(usageText(serverCommands));
    return first === undefined ? 2 : 0;
  }
  const { command, rest } = commandOf(argv);
  if (!command) {
    const family = serverCommands.filter((candidate) => candidate.name.startsWith(`${first} `)).map((candidate) => `'${candidate.name}'`);
    const hint = family.length > 0 ? `; did you mean ${family.join(' or ')}?` : first.startsWith('-') ? '; the command comes first' : '; box-office-server help lists them';
    complain(io, `unknown command '${argv.slice(0, family.length > 0 ? 2 : 1).join(' ')}'${hint}`);
    return 2;
  }

  let client: AdminClient | undefined;
  try {
    const line = parseCommandLine(command, rest);
    if (line.help) {
      io.stdout.write(usageText(serverCommands, command));
      return 0;
    }
    const dataDir = resolveServerDataDir(line.dataDir, io.env);
    const context: ServerCliContext = {
      io,
      json: line.json,
      dataDir,
      database: line.database,
      admin: async () => (client ??= await openAdminClient({ dataDir, database: line.database, clock: systemClock })),
    };
    return await command.run(context, line.input);
  } catch (error) {
    if (error instanceof UsageError) {
      complain(io, `${error.message} (usage: ${usageLine(command)})`);
      return 2;
    }
    if (error instanceof OperationFailed || error instanceof DomainError) {
      complain(io, error.message);
      return 1;
    }
    complain(io, `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await client?.close();
  }
}
