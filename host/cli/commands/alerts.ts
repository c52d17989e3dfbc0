import { z } from 'zod';
import type { AlertView } from '../../../core/alerts/alerts.contract.ts';
import { plural } from '../../../core/cli-text.ts';
import { cliArguments, defineCliCommand } from '../cli-command.ts';
import { formatTable, formatTime, oneLine } from '../format.ts';
import { invokeOrFail } from '../invoke.ts';

/**
 * `box-office alerts` and `box-office alerts acknowledge ID...`: the conflict alerts of the Sync
 * screen (a double admission, a wristband replaced by another terminal's activation), from every
 * terminal once synced, and their acknowledgement once handled. Acknowledging is a command like
 * any other: it waits in the outbox and reaches the server and the other terminals with the next
 * sync; naming an operator of the server (`--operator`) is what the server will accept.
 */

const acknowledgedText = (alert: AlertView) =>
  alert.acknowledged ? `${formatTime(alert.acknowledgedAt)}${alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ''}` : 'no';

export const alertsCommand = defineCliCommand({
  name: 'alerts',
  usage: '[--all] [--limit N]',
  summary: 'List the conflict alerts waiting for an acknowledgement (--all: the acknowledged ones too, with who and when)',
  options: { all: { type: 'boolean' }, limit: { type: 'string' } },
  positionals: [],
  schema: z.object({ all: z.boolean().default(false), limit: cliArguments.wholeNumber(1, 500).default(100) }),
  async run(context, args) {
    const list = await invokeOrFail(context.host(), 'sync.alerts', { limit: args.limit, show: args.all ? 'all' : 'unacknowledged' });
    const { stdout } = context.io;
    if (context.options.json) {
      stdout.write(`${JSON.stringify(list)}\n`);
      return 0;
    }
    if (list.alerts.length === 0) {
      stdout.write(list.total === 0 && args.all ? 'No conflict alerts.\n' : 'No conflict alert waits for an acknowledgement.\n');
      return 0;
    }
    stdout.write(
      formatTable(
        ['Alert id', 'When (UTC)', 'Conflict', 'Acknowledged', 'What happened'],
        list.alerts.map((alert) => [alert.id, formatTime(alert.at), alert.kindLabel, acknowledgedText(alert), oneLine(alert.message)]),
      ),
    );
    const shown = list.total > list.alerts.length ? `The first ${list.alerts.length.toLocaleString('en')} of ${list.total.toLocaleString('en')}. ` : '';
    stdout.write(`${shown}${plural(list.unacknowledged, 'alert')} to acknowledge (box-office alerts acknowledge ID).\n`);
    return 0;
  },
});

export const alertsAcknowledgeCommand = defineCliCommand({
  name: 'alerts acknowledge',
  usage: 'ID...',
  summary: 'Acknowledge conflict alerts once handled; the acknowledgement reaches the server and every terminal with the next sync',
  options: {},
  positionals: ['ID...'],
  schema: z.object({ id: z.array(z.string(), { error: 'ID is required: an alert id, as box-office alerts lists them' }) }),
  async run(context, args) {
    const { alerts } = await invokeOrFail(context.host(), 'alerts.acknowledge', { alertIds: args.id });
    const { stdout } = context.io;
    if (context.options.json) {
      stdout.write(`${JSON.stringify({ alerts })}\n`);
      return 0;
    }
    for (const alert of alerts) {
      const who = alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : '';
      stdout.write(
        alert.byThisCall
          ? `Acknowledged ${alert.alertId}${who}.\n`
          : `${alert.alertId} was acknowledged already${who} at ${formatTime(alert.acknowledgedAt)} UTC: kept as it was.\n`,
      );
    }
    return 0;
  },
});
