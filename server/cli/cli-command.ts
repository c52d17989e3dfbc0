import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { AdminClient } from './admin-client.ts';

/**
 * One `box-office-server` command: its words, its options and positionals, the zod schema of the
 * input they make, and what it does. Options and positionals fill input fields by name, so a
 * command can take an admin operation's own input schema and an error still names the flag.
 */

/** Where a command writes; tests pass their own. */
export interface ServerCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

export interface ServerCliOption {
  type: 'string' | 'boolean';
  /** The input field it fills; its own name when absent (`--time-zone` fills `timeZone`). */
  field?: string;
}

export interface ServerCliContext {
  io: ServerCliIo;
  json: boolean;
  dataDir: string;
  /** `--database`: the PostgreSQL URL; undefined for PGlite in the data folder. */
  database: string | undefined;
  /** The running server's admin routes, or else the store opened by this process (once; closed after the command). */
  admin(): Promise<AdminClient>;
}

export interface ServerCliCommand<S extends z.ZodType = z.ZodType> {
  /** The words that select it: `status`, `devices revoke`. */
  name: string;
  /** What follows the words in usage: `ID`, `--role R [--event ID]`. */
  usage: string;
  summary: string;
  options: Readonly<Record<string, ServerCliOption>>;
  /** In order: how usage names each, and the field it fills. */
  positionals: readonly { label: string; field: string }[];
  schema: S;
  run(context: ServerCliContext, input: z.output<S>): Promise<number>;
}

export const defineServerCommand = <S extends z.ZodType>(command: ServerCliCommand<S>): ServerCliCommand<S> => command;

/** Bad or missing arguments: one line with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A refused or failed operation: one line, exit code 1. */
export class OperationFailed extends Error {
  override readonly name = 'OperationFailed';
}

/** Options every command takes. */
export const commonOptions = {
  'data-dir': { type: 'string' },
  database: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const satisfies Record<string, ServerCliOption>;

export const commonUsage = '[--data-dir DIR] [--database postgres://…] [--json]';

const databaseUrl = z
  .string()
  .trim()
  .refine((text) => /^postgres(ql)?:\/\/./.test(text) && URL.canParse(text), '--database must be a PostgreSQL URL such as postgres://user:password@host:5432/box_office');

export interface CommandLine<S extends z.ZodType> {
  dataDir: string | undefined;
  database: string | undefined;
  json: boolean;
  help: boolean;
  input: z.output<S>;
}

/** Reads argv (after the command's words) with node:util parseArgs, then checks it with the command's schema. */
export function parseCommandLine<S extends z.ZodType>(command: ServerCliCommand<S>, argv: readonly string[]): CommandLine<S> {
  const options: Record<string, ServerCliOption> = { ...commonOptions, ...command.options };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.entries(options).map(([name, option]) => [name, { type: option.type }])),
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    // node's messages run on with advice about `--`; the first sentence says what is wrong.
    throw new UsageError((error instanceof Error ? error.message : String(error)).split(/\.\s|\n/)[0]!);
  }
  const { values, positionals } = parsed;
  const common = { dataDir: values['data-dir'] as string | undefined, json: values.json === true, help: values.help === true };
  if (common.help) return { ...common, database: undefined, input: undefined as z.output<S> };
  const database = values.database === undefined ? undefined : databaseUrl.safeParse(values.database);
  if (database && !database.success) throw new UsageError(database.error.issues[0]!.message);

  const extra = positionals[command.positionals.length];
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  const raw: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(command.options)) if (values[name] !== undefined) raw[option.field ?? name] = values[name];
  command.positionals.forEach((positional, index) => {
    if (positionals[index] !== undefined) raw[positional.field] = positionals[index];
  });
  const checked = command.schema.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    const label = labelOf(command, field);
    // A field the schema complains about and the command line did not give is a missing one.
    throw new UsageError(raw[field] === undefined && issue.path.length === 1 ? `${label} is required` : `${label}: ${issue.message}`);
  }
  return { ...common, database: database?.data, input: checked.data };
}

/** How the user typed the argument filling `field`: `--time-zone`, or `ID`. */
function labelOf(command: ServerCliCommand, field: string): string {
  const option = Object.entries(command.options).find(([name, option]) => (option.field ?? name) === field);
  if (option) return `--${option[0]}`;
  return command.positionals.find((positional) => positional.field === field)?.label ?? field;
}

export const usageLine = (command: ServerCliCommand) => `box-office-server ${command.name}${command.usage ? ` ${command.usage}` : ''}`;

/** Writes an output as one JSON line (--json), or as text. */
export function print(context: ServerCliContext, output: unknown, text: () => string): void {
  context.io.stdout.write(context.json ? `${JSON.stringify(output)}\n` : text());
}
