import { z } from 'zod';
import { formatTable, formatTime } from '../../../core/cli-text.ts';
import type { ServerStatus } from '../../admin/status.ts';
import { defineServerCommand, print } from '../cli-command.ts';

export const statusCommand = defineServerCommand({
  name: 'status',
  usage: '',
  summary: 'Terminals and when each was last seen, how far each event has synced, and the conflicts to look at',
  options: {},
  positionals: [],
  schema: z.object({}),
  async run(context) {
    const status = await (await context.admin()).call('status', {});
    print(context, status, () => statusText(status));
    return 0;
  },
});

function statusText(status: ServerStatus): string {
  const parts: string[] = [];
  parts.push(
    status.devices.length === 0
      ? 'Terminals: none enrolled yet.\n'
      : `Terminals:\n${formatTable(
          ['Code', 'Name', 'Role', 'Last seen (UTC)', 'Last seq', 'Revoked'],
          status.devices.map((device) => [device.shortCode, device.name ?? '', device.role, formatTime(device.lastSeenAt), String(device.lastSeq), device.revokedAt === null ? '' : 'yes']),
        )}`,
  );
  parts.push(
    `Versions:\n${formatTable(
      ['Event', 'Version'],
      [...status.events.map((event) => [event.name, String(event.version)]), ['(customers, operators and other shared rows)', String(status.sharedVersion)]],
    )}`,
  );
  const { count, latest } = status.conflicts;
  parts.push(
    count === 0
      ? 'Conflicts: none.\n'
      : `Conflicts: ${count} command${count === 1 ? '' : 's'} not applied as their terminal did${count > latest.length ? ` (the latest ${latest.length})` : ''}:\n${formatTable(
          ['Received (UTC)', 'Terminal', 'Command', 'Operator', 'Outcome', 'Why'],
          latest.map((conflict) => [
            formatTime(conflict.receivedAt),
            conflict.deviceShortCode,
            conflict.command,
            conflict.operator ?? '',
            conflict.status === 'rejected' ? `rejected${conflict.code ? `:${conflict.code}` : ''}` : 'applied with conflict',
            conflict.message ?? '',
          ]),
        )}`,
  );
  return parts.join('\n');
}
