import { plural } from '../../../core/cli-text.ts';
import { z } from 'zod';
import { maxPushCommands } from '../../../sync/protocol.ts';
import { serverUrlSchema, SyncError } from '../../../sync/terminal/client.ts';
import { syncFailure } from '../../../sync/terminal/sync-failure.ts';
import { enrolledClient, enrolTerminal } from '../../../sync/terminal/enrolment.ts';
import { commandCount, type SettledCommand } from '../../../sync/terminal/outbox.ts';
import type { PullSummary } from '../../../sync/terminal/pull.ts';
import { bothPushes, pushOutbox, type PushSummary } from '../../../sync/terminal/push.ts';
import { syncNow } from '../../../sync/terminal/sync-now.ts';
import { syncStatus, type SyncStatus } from '../../../sync/terminal/status.ts';
import type { Host } from '../../host.ts';
import { cliArguments, defineCliCommand, OperationFailed } from '../cli-command.ts';
import { formatTime } from '../format.ts';
import { invokeOrFail } from '../invoke.ts';

/**
 * `box-office sync enrol|now|status`: the terminal's side of the central server (DESIGN.md
 * section 6), run by hand. `sync now` pushes the commands waiting and pulls the other terminals'
 * changes with the rebase (sync/terminal/sync-now.ts): exit 0 when caught up, 1 when the server
 * cannot be reached (nothing is lost: each push batch and each pull page is its own transaction).
 */

/** The event's name when this terminal holds it. */
async function eventName(host: Host, eventId: string | null): Promise<string | undefined> {
  if (eventId === null) return undefined;
  const { events } = await invokeOrFail(host, 'events.list', {});
  return events.find((event) => event.id === eventId)?.name;
}

/** A sync failure as the CLI reports it (one line, exit 1); nothing the terminal holds is lost by one. */
const failed = (error: SyncError, waiting: number) => new OperationFailed(syncFailure(error, waiting), 1);

async function syncing<T>(host: Host, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SyncError) throw failed(error, commandCount(host.store, 'pending'));
    throw error;
  }
}

export const syncEnrolCommand = defineCliCommand({
  name: 'sync enrol',
  usage: '--server URL --code CODE [--name NAME] [--force]',
  summary: 'Enrol this terminal at the central server with a one-time code from its administrator',
  options: { server: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean' } },
  positionals: [],
  schema: z.object({
    server: z.string({ error: '--server is required: the server address, such as http://192.168.1.10:8080' }).pipe(serverUrlSchema),
    code: cliArguments.text('--code'),
    name: cliArguments.text('--name').pipe(z.string().max(100, '--name holds at most 100 characters')).optional(),
    force: z.boolean().default(false),
  }),
  async run(context, args) {
    const host = context.host();
    const enrolled = await syncing(host, () => enrolTerminal(host.store, { dataDir: host.dataDir, serverUrl: args.server, code: args.code, name: args.name, force: args.force }));
    const name = await eventName(host, enrolled.eventId);
    // The event the code was made for becomes the one this terminal works on, when it holds it.
    if (name !== undefined) await invokeOrFail(host, 'events.choose', { eventId: enrolled.eventId! });
    const { stdout } = context.io;
    if (context.options.json) {
      stdout.write(`${JSON.stringify({ ...enrolled, eventChosen: name !== undefined })}\n`);
      return 0;
    }
    stdout.write(`Enrolled at ${enrolled.serverUrl} as ${enrolled.role}, short code ${enrolled.shortCode}.\n`);
    if (enrolled.eventId === null) stdout.write('The enrolment covers every event.\n');
    else if (name !== undefined) stdout.write(`This terminal now works on ${name}, the event it was enrolled for.\n`);
    else stdout.write(`It was enrolled for event ${enrolled.eventId}, which this terminal does not hold yet: choose it (box-office events choose) once it is here.\n`);
    return 0;
  },
});

export const syncNowCommand = defineCliCommand({
  name: 'sync now',
  usage: '[--batch-size N]',
  summary: 'Push the commands waiting on this terminal and pull the server’s changes until caught up; rejected ones are listed with their reason',
  options: { 'batch-size': { type: 'string' } },
  positionals: [],
  schema: z.object({ 'batch-size': cliArguments.wholeNumber(1, maxPushCommands).optional() }),
  async run(context, args) {
    const host = context.host();
    const summary = await syncing(host, async () => {
      const client = enrolledClient(host.store, host.dataDir);
      const batchSize = args['batch-size'];
      // Smaller batches asked: the outbox goes first in those, and sync now's own push finds nothing left.
      const first = batchSize === undefined ? undefined : await pushOutbox(host.store, client, { limits: { commands: batchSize } });
      const synced = await syncNow(host.store, client);
      return first ? { ...synced, push: bothPushes(first, synced.push) } : synced;
    });
    context.io.stdout.write(context.options.json ? `${JSON.stringify(summary)}\n` : `${pushText(summary.push)}${pullText(summary.pull)}`);
    return 0;
  },
});

function pullText(summary: PullSummary): string {
  let text = `Pulled ${plural(summary.rows, 'row')} in ${plural(summary.pages, 'page')}${summary.caughtUp ? ': up to date with the server' : ''}.\n`;
  if (summary.rerun > 0) text += `${plural(summary.rerun, 'command')} not yet in the server's rows ${summary.rerun === 1 ? 'was' : 'were'} run again on top of them.\n`;
  if (summary.notApplying.length > 0) {
    text += `No longer applying on the server's rows (the server decides them):\n${summary.notApplying.map((command) => `  #${command.seq} ${command.command}: ${command.message}\n`).join('')}`;
  }
  return text;
}

function commandLine(command: SettledCommand, detail: string): string {
  return `  #${command.seq} ${command.command} at ${formatTime(command.at)}${command.operator ? ` by ${command.operator}` : ''}: ${detail}\n`;
}

const conflictText = (command: SettledCommand) => command.conflicts.map((conflict) => conflict.message).join('; ');

function pushText(summary: PushSummary): string {
  let text =
    summary.pushed === 0
      ? `Nothing to push: the server holds every command of this terminal (up to #${summary.lastSeq}).\n`
      : `Pushed ${plural(summary.pushed, 'command')}: ${summary.applied.toLocaleString('en')} applied, ${summary.withConflict.toLocaleString('en')} with a conflict, ${summary.rejected.toLocaleString('en')} rejected.\n`;
  if (summary.rejections.length > 0) text += `Rejected by the server (kept on this terminal, see box-office sync status):\n${summary.rejections.map((command) => commandLine(command, command.reason ?? 'no reason given')).join('')}`;
  if (summary.conflicts.length > 0) text += `Applied with a conflict:\n${summary.conflicts.map((command) => commandLine(command, conflictText(command))).join('')}`;
  if (summary.waiting > 0) text += `${plural(summary.waiting, 'command')} written during the push ${summary.waiting === 1 ? 'waits' : 'wait'} for the next sync.\n`;
  return text;
}

export const syncStatusCommand = defineCliCommand({
  name: 'sync status',
  usage: '',
  summary: 'Show whether this terminal is enrolled, its server, commands waiting and rejected, and the last push',
  options: {},
  positionals: [],
  schema: z.object({}),
  async run(context) {
    const host = context.host();
    const status = syncStatus(host.store, host.dataDir);
    const name = await eventName(host, status.eventId);
    context.io.stdout.write(context.options.json ? `${JSON.stringify({ ...status, eventName: name ?? null })}\n` : statusText(status, name));
    return 0;
  },
});

/** "+1.2 s (the server's clock is ahead …)": the offset the HLC corrects this terminal's clock by. */
function offsetText(offsetMs: number): string {
  if (offsetMs === 0) return '0 ms';
  const size = Math.abs(offsetMs) < 1000 ? `${Math.abs(offsetMs)} ms` : `${(Math.abs(offsetMs) / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;
  return `${offsetMs > 0 ? '+' : '−'}${size} (the server's clock is ${offsetMs > 0 ? 'ahead of' : 'behind'} this terminal's)`;
}

function statusText(status: SyncStatus, eventName: string | undefined): string {
  const lines: [string, string][] = [];
  if (!status.enrolled) {
    lines.push(['Server', 'not enrolled (box-office sync enrol --server URL --code CODE)']);
  } else {
    lines.push(['Server', `${status.serverUrl} (enrolled ${formatTime(status.enrolledAt)})`]);
    if (!status.hasToken) lines.push(['Token', 'missing: enrol again with a new code (box-office sync enrol --force)']);
    lines.push(['Role', status.role!]);
    lines.push(['Event', status.eventId === null ? 'every event' : `${eventName ?? 'not on this terminal yet'} (${status.eventId})`]);
  }
  lines.push(['Short code', status.shortCode]);
  lines.push(['Waiting', plural(status.waiting, 'command')]);
  lines.push(['Rejected', plural(status.rejected.length, 'command')]);
  lines.push(['With conflict', plural(status.withConflict, 'command')]);
  lines.push(['Last push', status.lastPushAt ? `${formatTime(status.lastPushAt)} UTC` : 'never']);
  lines.push(['Clock offset', offsetText(status.clockOffsetMs)]);
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  let text = lines.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}\n`).join('');
  if (status.rejected.length > 0) text += `Rejected commands:\n${status.rejected.map((command) => commandLine(command, command.reason ?? 'no reason given')).join('')}`;
  return text;
}
