import { statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { cliArguments, defineCliCommand, OperationFailed, type CliCommand } from '../cli-command.ts';
import { invokeOrFail, resolveCustomer } from '../invoke.ts';

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const exportArguments = z.object({ id: cliArguments.text('ID'), out: cliArguments.text('--out').optional(), force: z.boolean().default(false) });

/**
 * Writes an export (a CSV, a journal) where --out says, never over an existing file unless --force (an export named
 * like last week's must not silently replace it), and with a plain reason when the folder is
 * missing or not writable instead of the system's error code.
 */
export function writeExport(target: string, csv: string, force: boolean): void {
  try {
    writeFileSync(target, csv, { encoding: 'utf8', flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reasons: Record<string, string> = {
      EEXIST: `${target} already exists: add --force to overwrite it, or choose another --out`,
      ENOENT: `The folder ${dirname(target)} does not exist: create it first or choose another --out`,
      ENOTDIR: `${dirname(target)} is not a folder: choose another --out`,
      EACCES: `Box Office may not write ${target} (permission denied): choose another --out`,
      EISDIR: `${target} is a folder: give a file name or an existing folder as --out`,
    };
    const message = code === undefined ? undefined : reasons[code];
    if (message === undefined) throw error;
    throw new OperationFailed({ code: 'VALIDATION', message, field: 'out' });
  }
}

/** `export customer` and `export credit-history`: resolve the key, build the CSV, write it to --out or stdout. */
function exportCommand(name: string, operation: 'export.customerCsv' | 'export.creditHistoryCsv', summary: string): CliCommand<typeof exportArguments> {
  return defineCliCommand({
    name,
    usage: 'ID [--out FILE|FOLDER] [--force]',
    summary,
    options: { out: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
    positionals: ['ID'],
    schema: exportArguments,
    async run(context, args) {
      const host = context.host();
      const customerId = await resolveCustomer(host, args.id);
      const file = await invokeOrFail(host, operation, { customerId });
      if (!args.out) {
        context.io.stdout.write(context.options.json ? `${JSON.stringify(file)}\n` : file.csv);
        return 0;
      }
      // --out naming a folder writes the file there under its suggested name.
      const target = isDirectory(args.out) ? join(resolve(args.out), file.fileName) : resolve(args.out);
      writeExport(target, file.csv, args.force);
      const bytes = Buffer.byteLength(file.csv, 'utf8');
      context.io.stdout.write(context.options.json ? `${JSON.stringify({ fileName: file.fileName, path: target, bytes })}\n` : `Wrote ${target} (${bytes.toLocaleString('en')} bytes)\n`);
      return 0;
    },
  });
}

export const exportCustomerCommand = exportCommand(
  'export customer',
  'export.customerCsv',
  "Download a customer's profile, tickets and tags as CSV; ID is a customer id, e-mail, ticket reference or tag UID",
);

export const exportCreditHistoryCommand = exportCommand(
  'export credit-history',
  'export.creditHistoryCsv',
  "Download a customer's credit history (credits, virtual credits, tokens) as CSV",
);
