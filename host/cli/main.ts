import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DomainError } from '../../core/errors.ts';
import { logFileFor } from '../daily-log.ts';
import { resolveDataDir, storeFile } from '../data-dir.ts';
import { createHost, type Host } from '../host.ts';
import { commonOptions, OperationFailed, parseCommandArguments, UsageError, type CliCommand, type CliContext, type CliIo } from './cli-command.ts';
import { alertsAcknowledgeCommand, alertsCommand } from './commands/alerts.ts';
import { cardCommand } from './commands/card.ts';
import { checkinCommand } from './commands/checkin.ts';
import { exportCreditHistoryCommand, exportCustomerCommand } from './commands/export-csv.ts';
import { helpCommand, usageText } from './commands/help.ts';
import { importCustomersCommand } from './commands/import-customers.ts';
import { readerCommand } from './commands/reader.ts';
import { readersCommand } from './commands/readers.ts';
import { searchCommand } from './commands/search.ts';
import { seedCommand } from './commands/seed.ts';
import { serveCommand } from './commands/serve.ts';
import { tagActivateCommand, tagReplaceCommand } from './commands/tag-activate.ts';
import { oneLine } from './format.ts';
import { operatorsAddCommand, operatorsListCommand } from './commands/operators.ts';
import { journalExportCommand, journalReplayCommand } from './commands/journal.ts';
import { eventsChooseCommand, eventsListCommand } from './commands/events.ts';
import { syncCheckCommand, syncEnrolCommand, syncLoadCommand, syncNowCommand, syncStatusCommand } from './commands/sync.ts';
import { callerNamed } from '../../core/operators/operators.ts';
import type { Caller } from '../../core/operators/session.ts';

export const commands: readonly CliCommand[] = [
  seedCommand,
  importCustomersCommand,
  exportCustomerCommand,
  exportCreditHistoryCommand,
  searchCommand,
  cardCommand,
  checkinCommand,
  tagActivateCommand,
  tagReplaceCommand,
  serveCommand,
  readerCommand,
  readersCommand,
  operatorsAddCommand,
  operatorsListCommand,
  eventsListCommand,
  eventsChooseCommand,
  journalExportCommand,
  journalReplayCommand,
  syncEnrolCommand,
  syncLoadCommand,
  syncNowCommand,
  syncCheckCommand,
  syncStatusCommand,
  alertsCommand,
  alertsAcknowledgeCommand,
  helpCommand(() => commands),
];

/**
 * Finds the command named by the first one or two words (options may come before them) and
 * returns the other arguments for the command's own parser.
 */
function findCommand(argv: readonly string[]): { command: CliCommand | undefined; words: string[]; rest: string[] } {
  const options = Object.assign({}, commonOptions, ...commands.map((command) => command.options));
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const positional = tokens.filter((token) => token.kind === 'positional');
  const words = positional.slice(0, 2).map((token) => token.value);
  for (const count of [2, 1]) {
    const name = words.slice(0, count).join(' ');
    const command = commands.find((candidate) => candidate.name === name);
    if (command && words.length >= count) {
      const used = new Set(positional.slice(0, count).map((token) => token.index));
      return { command, words: words.slice(0, count), rest: argv.filter((_, index) => !used.has(index)) };
    }
  }
  return { command: undefined, words, rest: [...argv] };
}

/**
 * The commands that fill a data folder, and so may create it (a fresh terminal is enrolled before
 * it holds anything). Every other command reads what is there: a mistyped --data-dir must say so,
 * not answer from a new empty store ("No customers match").
 */
const commandsThatCreateData: ReadonlySet<CliCommand> = new Set<CliCommand>([seedCommand, importCustomersCommand, syncEnrolCommand]);

function requireExistingData(dataDir: string): void {
  if (existsSync(storeFile(dataDir))) return;
  throw new OperationFailed({
    code: 'NOT_FOUND',
    message: `No Box Office data in ${dataDir} (check --data-dir; box-office seed, import customers or sync enrol creates it)`,
  });
}

/**
 * Without --operator the CLI acts as the terminal's local administrator: shell access to the data
 * folder is full access already, so scripts keep working without a PIN. Recorded as `cli` (or
 * BOX_OFFICE_OPERATOR), which histories show as "this terminal (command line)".
 */
const localAdministrator = (env: NodeJS.ProcessEnv): Caller => ({ name: env.BOX_OFFICE_OPERATOR ?? 'cli', role: 'admin' });

const write = (stream: CliIo['stderr'], message: string) => stream.write(`box-office: ${oneLine(message)}\n`);

/** Runs the CLI with argv (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0) {
    io.stderr.write(usageText(commands));
    return 2;
  }
  const { command, words, rest } = findCommand(argv);
  if (!command) {
    const onlyOptions = words.length === 0;
    if (onlyOptions && (argv.includes('--help') || argv.includes('-h'))) {
      io.stdout.write(usageText(commands));
      return 0;
    }
    const family = commands.filter((candidate) => candidate.name.startsWith(`${words[0]} `)).map((candidate) => `'${candidate.name}'`);
    const hint = family.length > 0 ? `; did you mean ${family.join(' or ')}?` : '; run box-office help for the list';
    write(io.stderr, onlyOptions ? `no command given${hint}` : `unknown command '${words.join(' ')}'${hint}`);
    return 2;
  }

  let host: Host | undefined;
  let dataDir: string | undefined;
  try {
    const parsed = parseCommandArguments(command, rest);
    if (parsed.common.help) {
      io.stdout.write(usageText(commands, command.name === 'help' ? undefined : command));
      return 0;
    }
    dataDir = resolveDataDir({ flag: parsed.common.dataDir, env: io.env });
    const folder = dataDir;
    const context: CliContext = {
      io,
      options: { dataDir: folder, json: parsed.common.json, operator: parsed.common.operator },
      host: () => {
        if (host) return host;
        if (!commandsThatCreateData.has(command)) requireExistingData(folder);
        host = createHost({ dataDir: folder, caller: localAdministrator(io.env) });
        // --operator NAME acts as that operator: recorded in the audit log, their role checked.
        if (parsed.common.operator !== undefined) host.core.session.caller = callerNamed(host.store, parsed.common.operator);
        return host;
      },
    };
    return await command.run(context, parsed.args);
  } catch (error) {
    if (error instanceof UsageError) {
      write(io.stderr, error.usage ? `${error.message} (usage: ${error.usage})` : error.message);
      return 2;
    }
    if (error instanceof OperationFailed) {
      write(io.stderr, error.message);
      return error.exitCode;
    }
    if (error instanceof DomainError) {
      write(io.stderr, error.message);
      return 1;
    }
    // A bug or an environment problem: the details (stack) go to the log, one line to the user.
    const message = error instanceof Error ? error.message : String(error);
    let logFile: string | undefined;
    if (host) {
      host.logger.error({ err: error, command: command.name }, 'unexpected error in the CLI');
      logFile = host.logFile();
    } else if (dataDir) {
      logFile = logFileFor(dataDir, new Date());
    }
    write(io.stderr, `unexpected error: ${message}${logFile ? ` (details in ${logFile})` : ''}`);
    return 1;
  } finally {
    host?.close();
  }
}
