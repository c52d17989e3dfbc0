import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { CoreEvent } from '../../../core/api/pubsub.ts';
import type { TicketTypeChoice } from '../../../core/import/import.contract.ts';
import { describeRejection, rejectedRowsCsv } from '../../../core/csv/import-rejected.ts';
import { cliArguments, defineCliCommand, OperationFailed } from '../cli-command.ts';
import { progressLine } from '../progress.ts';

/** Exit code when the file could not be read at all (as for bad arguments): nothing was imported. */
const unreadable = 2;

function checkReadable(path: string): void {
  let problem: string | undefined;
  try {
    if (statSync(path).isDirectory()) problem = 'is a folder, not a file';
    else accessSync(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problem = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
  }
  if (problem) throw new OperationFailed({ code: 'VALIDATION', message: `${path}: ${problem}`, field: 'source' }, unreadable);
}

/** `--map-type "Wekend=Weekend"`: the file's name, then the event's type its rows are imported as. */
const typeMapping = z
  .string()
  .transform((text, context): TicketTypeChoice => {
    const at = text.indexOf('=');
    const name = text.slice(0, at).trim();
    const mapTo = text.slice(at + 1).trim();
    if (at < 0 || name === '' || mapTo === '') {
      context.addIssue({ code: 'custom', message: `"${text}" is not NAME=TYPE (e.g. --map-type "Wekend=Weekend")` });
      return z.NEVER;
    }
    return { name, mapTo };
  });

export const importCustomersCommand = defineCliCommand({
  name: 'import customers',
  usage: 'FILE [--dry-run] [--event ID] [--map-type NAME=TYPE]... [--create-types] [--rejected-out FILE]',
  summary: 'Import customers and their tickets from a CSV file (rejected rows are listed, not fatal)',
  options: {
    'dry-run': { type: 'boolean' },
    event: { type: 'string' },
    'map-type': { type: 'string', multiple: true },
    'create-types': { type: 'boolean' },
    'rejected-out': { type: 'string' },
  },
  positionals: ['FILE'],
  schema: z.object({
    file: cliArguments.text('FILE'),
    'dry-run': z.boolean().default(false),
    event: cliArguments.text('--event').optional(),
    'map-type': z.array(typeMapping).default([]),
    'create-types': z.boolean().default(false),
    'rejected-out': cliArguments.text('--rejected-out').optional(),
  }),
  async run(context, args) {
    const path = resolve(args.file);
    checkReadable(path);
    const host = context.host();
    const progress = progressLine(context.io);
    const unsubscribe = host.core.subscribe((event: CoreEvent) => {
      if (event.type !== 'import.progress') return;
      const percent = event.bytesTotal ? ` (${Math.min(100, Math.round((event.bytesRead / event.bytesTotal) * 100))}%)` : '';
      progress.update(
        `importing: ${event.rowsRead.toLocaleString('en')} rows read${percent}, ${event.imported} imported, ${event.updated} updated, ${event.unchanged} unchanged, ${event.rejected} rejected`,
        event.done,
      );
    });
    let result;
    try {
      result = await host.core.invoke('import.customers', {
        source: { path },
        dryRun: args['dry-run'],
        ticketTypeChoices: args['map-type'],
        createTicketTypes: args['create-types'],
        ...(args.event ? { eventId: args.event } : {}),
      });
    } finally {
      unsubscribe();
      progress.end();
    }
    if (!result.ok) {
      throw new OperationFailed(result.error, result.error.code === 'VALIDATION' && result.error.field === 'source' ? unreadable : 1);
    }
    const summary = result.value;
    // Written before the summary: when the summary says where the rejected rows are, they are there.
    const rejectedOut = args['rejected-out'] ? resolve(args['rejected-out']) : undefined;
    if (rejectedOut) writeFileSync(rejectedOut, rejectedRowsCsv(summary));
    host.logger.info(
      { dryRun: summary.dryRun, rowsRead: summary.rowsRead, imported: summary.imported, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected.length },
      'imported customers',
    );
    if (context.options.json) {
      context.io.stdout.write(`${JSON.stringify(summary)}\n`);
      return 0;
    }
    const lines = [
      `${summary.dryRun ? 'Dry run (nothing was saved): ' : ''}${summary.rowsRead} rows read from ${args.file}: ${summary.imported} imported, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected.length} rejected.`,
    ];
    if (summary.eventCreated) lines.push(`Created the event ${summary.eventId ?? ''} for the imported tickets.`.replace('  ', ' '));
    if (summary.createdTicketTypes.length > 0) {
      lines.push(`${summary.dryRun ? 'Would create' : 'Created'} ticket types (valid from the event's start to its end): ${summary.createdTicketTypes.join(', ')}.`);
    }
    for (const unknown of summary.unknownTicketTypes) {
      const rows = `${unknown.rows} ${unknown.rows === 1 ? 'row' : 'rows'} rejected`;
      const fix = unknown.suggestion
        ? `did you mean "${unknown.suggestion}"? Add --map-type "${unknown.name}=${unknown.suggestion}", or --create-types to create it`
        : 'add --map-type "NAME=TYPE" to import it as an existing type, or --create-types to create it';
      lines.push(`Unknown ticket type "${unknown.name}" (${rows}): ${fix}.`);
    }
    if (summary.ignoredColumns.length > 0) lines.push(`Ignored columns: ${summary.ignoredColumns.join(', ')}.`);
    for (const warning of summary.warnings) lines.push(`row ${warning.row}: ${warning.message}`);
    for (const rejection of summary.rejected) lines.push(`row ${rejection.row}: ${describeRejection(rejection.reason)}`);
    if (rejectedOut && summary.rejected.length > 0) lines.push(`Rejected rows, with the reason for each, written to ${rejectedOut}: fix them there and import that file.`);
    context.io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
});
