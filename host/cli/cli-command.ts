import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import type { ApiError } from '../../core/errors.ts';
import type { Host } from '../host.ts';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Where a command writes; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Options every command takes. */
export interface CommonOptions {
  dataDir: string | undefined;
  json: boolean;
  /** `--operator NAME`: who acts (audit log, role checked); absent, the terminal's local administrator. */
  operator: string | undefined;
}

export interface CliContext {
  io: CliIo;
  options: CommonOptions;
  /**
   * Opens the store the first time it is called. Only `seed` and `import customers` create a
   * missing data folder; for every other command a folder without a store is an error.
   */
  host(): Host;
}

/**
 * One `box-office` command. `args` maps each option name (`customers` for `--customers`) and each
 * positional (named in `positionals`) to its text; `schema` turns that into the typed arguments.
 */
export interface CliCommand<S extends z.ZodType = z.ZodType> {
  /** The words that select it: `seed`, `import customers`. */
  name: string;
  /** Arguments after the name, as shown in usage: `FILE [--dry-run] [--event ID]`. */
  usage: string;
  summary: string;
  options: OptionsConfig;
  /** Names of the positional arguments in order; a name ending in `...` takes all the rest. */
  positionals: readonly string[];
  schema: S;
  run(context: CliContext, args: z.output<S>): Promise<number>;
}

export const defineCliCommand = <S extends z.ZodType>(command: CliCommand<S>): CliCommand<S> => command;

/** Bad or missing arguments: printed as one usage line, exit code 2. */
export class UsageError extends Error {
  readonly usage: string | undefined;

  constructor(message: string, usage?: string) {
    super(message);
    this.name = 'UsageError';
    this.usage = usage;
  }
}

/** A refused operation (unknown customer, bad input...): printed as one line, exit code 1 (or `exitCode`). */
export class OperationFailed extends Error {
  readonly error: ApiError;
  readonly exitCode: number;

  constructor(error: ApiError, exitCode = 1) {
    super(error.message);
    this.name = 'OperationFailed';
    this.error = error;
    this.exitCode = exitCode;
  }
}

export const commonOptions = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  operator: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

export const usageLine = (command: CliCommand) =>
  `box-office ${command.name}${command.usage ? ` ${command.usage}` : ''} [--data-dir DIR] [--json] [--operator NAME]`;

/** Displays an argument the way the user typed it: `--customers` or `FILE`. */
function argumentLabel(command: CliCommand, key: string): string {
  if (Object.hasOwn(command.options, key)) return `--${key}`;
  const positional = command.positionals.find((name) => name.replace('...', '').toLowerCase() === key);
  return positional ? positional.replace('...', '') : key;
}

export interface ParsedArguments {
  common: CommonOptions & { help: boolean };
  args: unknown;
}

/** Parses argv (after the command's words) with node:util parseArgs, then the command's zod schema. */
export function parseCommandArguments(command: CliCommand, argv: readonly string[]): ParsedArguments {
  const usage = usageLine(command);
  const options = { ...commonOptions, ...command.options };
  let parsed;
  try {
    parsed = parseArgs({ args: attachNegativeValues(argv, options), options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/, ''), usage);
  }
  const { values, positionals } = parsed;
  const common = {
    dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
    json: values.json === true,
    operator: typeof values.operator === 'string' ? values.operator : undefined,
    help: values.help === true,
  };
  if (common.help) return { common, args: undefined };

  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!Object.hasOwn(commonOptions, key)) raw[key] = value;
  }
  command.positionals.forEach((name, index) => {
    const key = name.replace('...', '').toLowerCase();
    if (name.endsWith('...')) {
      if (positionals.length > index) raw[key] = positionals.slice(index);
    } else if (positionals[index] !== undefined) {
      raw[key] = positionals[index];
    }
  });
  const variadic = command.positionals.some((name) => name.endsWith('...'));
  if (!variadic && positionals.length > command.positionals.length) {
    throw new UsageError(`unexpected argument '${positionals[command.positionals.length]}'`, usage);
  }
  const result = command.schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const missing = issue.code === 'invalid_type' && raw[key] === undefined;
    const label = argumentLabel(command, key);
    // A message that already names the argument ("QUERY is empty") or says it all is not labelled.
    const whole = issue.code === 'custom' && issue.params?.wholeSentence === true;
    const message = missing ? `${label} is required` : whole || issue.message.startsWith(label) ? issue.message : `${label}: ${issue.message}`;
    throw new UsageError(message, usage);
  }
  return { common, args: result.data };
}

/**
 * `--customers -5` is a value that starts with a dash: node's parseArgs reads `-5` as an option and
 * refuses it as "ambiguous". A number right after an option that takes a value is that option's
 * value, so it is attached (`--customers=-5`) and the option's own schema says what is wrong.
 */
function attachNegativeValues(argv: readonly string[], options: OptionsConfig): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    const next = argv[index + 1];
    const name = next !== undefined && /^-\d/.test(next) ? optionTakingValue(token, options) : undefined;
    if (name === undefined) {
      out.push(token);
    } else {
      out.push(`--${name}=${next}`);
      index++;
    }
  }
  return out;
}

/** The option a token like `--limit` or `-o` names, when that option takes a value. */
function optionTakingValue(token: string, options: OptionsConfig): string | undefined {
  const name = token.startsWith('--')
    ? token.slice(2)
    : Object.keys(options).find((key) => options[key]!.short !== undefined && token === `-${options[key]!.short}`);
  return name !== undefined && options[name]?.type === 'string' ? name : undefined;
}

/** "a whole number from 1 to 100", "a whole number from 0 to 10,000,000". */
const wholeNumberRange = (min: number, max: number) =>
  `must be a ${min === 1 ? 'positive ' : ''}whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`;

/** Zod pieces for CLI arguments, which arrive as text. */
export const cliArguments = {
  wholeNumber: (min: number, max: number) =>
    z
      .string()
      .trim()
      .regex(/^\d+$/, wholeNumberRange(min, max))
      .transform(Number)
      .pipe(z.number().int().min(min, wholeNumberRange(min, max)).max(max, wholeNumberRange(min, max))),
  text: (label: string) => z.string({ error: `${label} is required` }).trim().min(1, `${label} is empty`),
  /** `params` of a refinement whose message is a whole sentence, printed without the argument's label. */
  wholeSentence: { wholeSentence: true },
};
