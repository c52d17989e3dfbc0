import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { cliArguments, defineCliCommand, type CliCommand } from '../cli-command.ts';
import { invokeOrFail, resolveCustomer } from '../invoke.ts';

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const exportArguments = z.object({ id: cliArguments.text('ID'), out: cliArguments.text('--out').optional() });

/** `export customer` and `export credit-history`: resolve the key, build the CSV, write it to --out or stdout. */
function exportCommand(name: string, operation: 'export.customerCsv' | 'export.creditHistoryCsv', summary: string): CliCommand<typeof exportArguments> {
  return defineCliCommand({
    name,
    usage: 'ID [--out FILE]',
    summary,
    options: { out: { type: 'string', short: 'o' } },
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
      writeFileSync(target, file.csv, 'utf8');
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
