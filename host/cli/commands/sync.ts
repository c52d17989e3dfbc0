import { plural } from '../../../core/cli-text.ts';
import { z } from 'zod';
import { maxPushCommands } from '../../../sync/protocol.ts';
import { serverUrlSchema, SyncError } from '../../../sync/terminal/client.ts';
import { syncFailure } from '../../../sync/terminal/sync-failure.ts';
import { enrolledClient, enrolTerminal, type EnrolledTerminal } from '../../../sync/terminal/enrolment.ts';
import { firstLoadInProgress, loadFirstSnapshot, notFreshReason, type FirstLoadProgress, type FirstLoadSummary } from '../../../sync/terminal/first-load.ts';
import { terminalEnrolment } from '../../../sync/terminal/state.ts';
import { terminalShortCode } from '../../../core/terminal/state.ts';
import { commandCount, type SettledCommand } from '../../../sync/terminal/outbox.ts';
import type { PullSummary } from '../../../sync/terminal/pull.ts';
import { bothPushes, pushOutbox, type PushSummary } from '../../../sync/terminal/push.ts';
import { syncNow } from '../../../sync/terminal/sync-now.ts';
import { syncStatus, type SyncStatus } from '../../../sync/terminal/status.ts';
import { syncThenCheck, type CheckSummary } from '../../../sync/terminal/consistency-check.ts';
import type { Host } from '../../host.ts';
import { cliArguments, defineCliCommand, OperationFailed, type CliContext } from '../cli-command.ts';
import { formatTime } from '../format.ts';
import { invokeOrFail } from '../invoke.ts';
import { progressLine } from '../progress.ts';

/**
 * `box-office sync enrol|load|now|check|status`: the terminal's side of the central server
 * (DESIGN.md section 6), run by hand. `sync enrol` loads a fresh terminal's event from the server's
 * snapshot (`sync load` continues a load that was cut off). `sync now` pushes the commands waiting
 * and pulls the other terminals' changes with the rebase (sync/terminal/sync-now.ts): exit 0 when
 * caught up, 1 when the server cannot be reached (nothing is lost: each push batch and each pull
 * page is its own transaction). `sync check` syncs, then compares every table with the server's
 * (sync/terminal/consistency-check.ts), and with `--repair` reloads those that differ.
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
  summary: 'Enrol this terminal at the central server with a one-time code, then load its event from the server (a fresh terminal)',
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
    const { stdout } = context.io;
    // Enrolled, with its first load cut off: running enrol again continues the load (a new code is not needed).
    const existing = terminalEnrolment(host.store);
    const resuming = existing !== null && !args.force && firstLoadInProgress(host.store);
    const enrolled: EnrolledTerminal = resuming
      ? { ...existing, shortCode: terminalShortCode(host.store) }
      : await syncing(host, () => enrolTerminal(host.store, { dataDir: host.dataDir, serverUrl: args.server, code: args.code, name: args.name, force: args.force }));
    if (!context.options.json) {
      stdout.write(
        resuming
          ? `Enrolled already at ${enrolled.serverUrl} as ${enrolled.role}: continuing its first load.\n`
          : `Enrolled at ${enrolled.serverUrl} as ${enrolled.role}, short code ${enrolled.shortCode}.\n`,
      );
    }
    const skipped = firstLoadInProgress(host.store) ? null : notFreshReason(host.store);
    const loaded = skipped === null ? await firstLoad(context, host) : null;
    const name = await eventName(host, enrolled.eventId);
    // The event the code was made for becomes the one this terminal works on, when it holds it.
    if (name !== undefined) await invokeOrFail(host, 'events.choose', { eventId: enrolled.eventId! });
    if (context.options.json) {
      stdout.write(`${JSON.stringify({ ...enrolled, eventChosen: name !== undefined, firstLoad: loaded, firstLoadSkipped: skipped })}\n`);
      return 0;
    }
    stdout.write(loaded ? loadText(loaded) : `No first load: ${skipped}.\n`);
    if (enrolled.eventId === null) stdout.write('The enrolment covers every event.\n');
    else if (name !== undefined) stdout.write(`This terminal now works on ${name}, the event it was enrolled for.\n`);
    else stdout.write(`It was enrolled for event ${enrolled.eventId}, which this terminal does not hold yet: choose it (box-office events choose) once it is here.\n`);
    return 0;
  },
});

export const syncLoadCommand = defineCliCommand({
  name: 'sync load',
  usage: '',
  summary: 'Load this enrolled terminal’s event from the server’s snapshot, or continue a load that was cut off',
  options: {},
  positionals: [],
  schema: z.object({}),
  async run(context) {
    const host = context.host();
    const summary = await firstLoad(context, host);
    const enrolment = terminalEnrolment(host.store);
    const name = await eventName(host, enrolment?.eventId ?? null);
    if (name !== undefined) await invokeOrFail(host, 'events.choose', { eventId: enrolment!.eventId! });
    context.io.stdout.write(context.options.json ? `${JSON.stringify(summary)}\n` : loadText(summary));
    return 0;
  },
});

/**
 * The first load with its progress on stderr: a bar rewritten in place on a terminal, otherwise a
 * line when a table starts and every couple of seconds. A failure says how far it got and that
 * `sync load` continues from there.
 */
async function firstLoad(context: CliContext, host: Host): Promise<FirstLoadSummary> {
  const progress = progressLine(context.io);
  const bar = context.io.stderr.isTTY === true;
  let table: string | null = null;
  let loaded = 0;
  const onProgress = (event: FirstLoadProgress) => {
    loaded = event.rowsLoaded;
    const started = event.table !== table;
    table = event.table;
    progress.update(progressText(event, bar), started || event.phase === 'done');
  };
  try {
    return await loadFirstSnapshot(host.store, enrolledClient(host.store, host.dataDir), { onProgress });
  } catch (error) {
    if (error instanceof SyncError && firstLoadInProgress(host.store)) {
      const failure = syncFailure(error, 0);
      throw new OperationFailed({ ...failure, message: `${failure.message}: the first load stopped after ${plural(loaded, 'row')} and continues from there with box-office sync load` }, 1);
    }
    if (error instanceof SyncError) throw failed(error, 0);
    throw error;
  } finally {
    progress.end();
  }
}

const seconds = (value: number) => (value < 60 ? `${Math.round(value)} s` : `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`);

function progressText(event: FirstLoadProgress, bar: boolean): string {
  if (event.phase === 'done') return `Loaded ${plural(event.rowsLoaded, 'row')}.`;
  if (event.phase === 'indexes') return `Building the index ${event.table}…`;
  if (event.phase === 'search') return 'Building the customer search index…';
  const fraction = event.rowsTotal ? Math.min(1, event.rowsLoaded / event.rowsTotal) : null;
  const counted = event.rowsTotal ? `${event.rowsLoaded.toLocaleString('en')} of ${plural(event.rowsTotal, 'row')}` : plural(event.rowsLoaded, 'row');
  const pace = [`${event.rowsPerSecond.toLocaleString('en')} rows/s`, ...(event.secondsLeft === null ? [] : [`${seconds(event.secondsLeft)} left`])];
  if (!bar) return `Loading ${event.table}: ${counted}${fraction === null ? '' : ` (${Math.floor(fraction * 100)}%)`}, ${pace.join(', ')}`;
  const width = 24;
  const filled = fraction === null ? 0 : Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${fraction === null ? '' : `${Math.floor(fraction * 100)}% `}${[counted, ...pace, event.table].join(' · ')}`;
}

function loadText(summary: FirstLoadSummary): string {
  const scopes = Object.entries(summary.cursors)
    .map(([scope, version]) => `${scope === '' ? 'the rows of no event' : `event ${scope}`} at version ${version}`)
    .join(', ');
  return `${summary.resumed ? 'Finished the first load' : 'Loaded'}: ${plural(summary.rows, 'row')}${summary.resumed ? ' in all' : ''} (${scopes}), ${summary.rowsPerSecond.toLocaleString('en')} rows/s over ${seconds(summary.seconds)}${summary.resumed ? ' in this run' : ''}.\n`;
}

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

/** Exit code of `sync check` when tables differ and were not repaired (or a repair left one differing). */
const tablesDiffer = 3;

export const syncCheckCommand = defineCliCommand({
  name: 'sync check',
  usage: '[--repair]',
  summary: 'Sync, then compare every table with the server’s (row counts and a digest); --repair reloads each one that differs from the server',
  options: { repair: { type: 'boolean' } },
  positionals: [],
  schema: z.object({ repair: z.boolean().default(false) }),
  async run(context, args) {
    const host = context.host();
    // Synced first, then checked (once more after another sync when the server moved on meanwhile).
    const summary = await syncing(host, () => syncThenCheck(host.store, enrolledClient(host.store, host.dataDir), { repair: args.repair }));
    context.io.stdout.write(context.options.json ? `${JSON.stringify(summary)}\n` : checkText(summary, args.repair));
    return summary.differing.length > 0 ? tablesDiffer : 0;
  },
});

function checkText(summary: CheckSummary, repair: boolean): string {
  const versions = Object.entries(summary.cursors)
    .map(([scope, version]) => `${scope === '' ? 'the rows of no event' : `event ${scope}`} at version ${version}`)
    .join(', ');
  let text = `Checked ${plural(summary.tables, 'table')} (${plural(summary.rows, 'row')} at the server) with the server, ${versions}.\n`;
  for (const table of summary.repaired) {
    text += `Reloaded ${table.table} from the server: ${plural(table.reloaded, 'row')} written${table.removed > 0 ? `, ${plural(table.removed, 'row')} the server does not hold removed` : ''}.\n`;
  }
  if (summary.differing.length === 0) return `${text}${summary.repaired.length > 0 ? 'Every table is now' : 'Every table is'} as the server holds it.\n`;
  text += `${plural(summary.differing.length, 'table')} ${summary.differing.length === 1 ? 'differs' : 'differ'} from the server’s:\n`;
  text += summary.differing.map((table) => `  ${table.table}: ${table.reason}\n`).join('');
  if (!repair) text += 'Reload them from the server with box-office sync check --repair.\n';
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
