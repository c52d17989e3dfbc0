import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { journalText, parseJournal, replayJournal, type ReplayOutcome } from '../../../core/commands/journal.ts';
import { authorise } from '../../../core/operators/access.ts';
import { rolesFrom } from '../../../core/operators/roles.ts';
import type { Host } from '../../host.ts';
import { cliArguments, defineCliCommand, OperationFailed } from '../cli-command.ts';
import { writeExport } from './export-csv.ts';

/** The journal reads or rewrites a whole store: an admin's tool, whoever --operator names. */
function requireAdmin(host: Host, operation: string): void {
  const access = authorise(host.store, host.core.session, operation, rolesFrom('admin'), host.core.session.caller?.name ?? null);
  if (!access.ok) throw new OperationFailed(access.error.toApiError());
}

const exportArguments = z.object({ out: cliArguments.text('--out').optional(), force: z.boolean().default(false) });

export const journalExportCommand = defineCliCommand({
  name: 'journal export',
  usage: '[--out FILE] [--force]',
  summary: "Write this terminal's commands (its envelopes, in order) as a journal: JSON lines, for support or a replay",
  options: { out: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
  positionals: [],
  schema: exportArguments,
  async run(context, args) {
    const host = context.host();
    requireAdmin(host, 'journal.export');
    const { header, text } = journalText(host.store, new Date());
    if (!args.out) {
      context.io.stdout.write(text);
      return 0;
    }
    const target = resolve(args.out);
    writeExport(target, text, args.force);
    const summary = { path: target, envelopes: header.count, deviceId: header.deviceId, exportedAt: header.exportedAt };
    context.io.stdout.write(
      context.options.json ? `${JSON.stringify(summary)}\n` : `Wrote ${header.count.toLocaleString('en')} ${header.count === 1 ? 'command' : 'commands'} to ${target}\n`,
    );
    return 0;
  },
});

function readJournalFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reasons: Record<string, string> = {
      ENOENT: `${file} does not exist`,
      EISDIR: `${file} is a folder: give the journal file`,
      EACCES: `Box Office may not read ${file} (permission denied)`,
    };
    const message = code === undefined ? undefined : reasons[code];
    if (message === undefined) throw error;
    throw new OperationFailed({ code: 'VALIDATION', message, field: 'file' });
  }
}

function outcomeText(outcome: ReplayOutcome): string {
  const lines = [`Applied ${outcome.applied}, skipped ${outcome.skipped} (already in this store), failed ${outcome.failed.length}.`];
  for (const failure of outcome.failed) lines.push(`  line ${failure.line} (${failure.command}): ${failure.reason}`);
  return `${lines.join('\n')}\n`;
}

export const journalReplayCommand = defineCliCommand({
  name: 'journal replay',
  usage: 'FILE',
  summary: 'Run a journal\'s commands into the store of --data-dir (which must already hold what they refer to); commands already there are skipped',
  options: {},
  positionals: ['FILE'],
  schema: z.object({ file: cliArguments.text('FILE') }),
  async run(context, args) {
    const file = resolve(args.file);
    // The whole file is checked before the store is opened: nothing of a bad journal runs.
    const journal = parseJournal(readJournalFile(file));
    const host = context.host();
    requireAdmin(host, 'journal.replay');
    const outcome = replayJournal(host.store, journal, new Date());
    context.io.stdout.write(context.options.json ? `${JSON.stringify(outcome)}\n` : outcomeText(outcome));
    return outcome.failed.length > 0 ? 1 : 0;
  },
});
