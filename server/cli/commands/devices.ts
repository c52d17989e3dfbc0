import { z } from 'zod';
import { formatTable, formatTime } from '../../../core/cli-text.ts';
import { adminContract } from '../../admin/admin.contract.ts';
import { defineServerCommand, print } from '../cli-command.ts';

export const devicesListCommand = defineServerCommand({
  name: 'devices list',
  usage: '',
  summary: 'List the enrolled terminals: short code, role, when each was last seen',
  options: {},
  positionals: [],
  schema: z.object({}),
  async run(context) {
    const listed = await (await context.admin()).call('devices.list', {});
    print(context, listed, () =>
      listed.devices.length === 0
        ? 'No terminal is enrolled yet: box-office-server enrol-code --role gate makes a code for one.\n'
        : formatTable(
            ['Code', 'Name', 'Role', 'Last seen (UTC)', 'Last seq', 'Revoked', 'Id'],
            listed.devices.map((device) => [
              device.shortCode,
              device.name ?? '',
              device.role,
              formatTime(device.lastSeenAt),
              String(device.lastSeq),
              device.revokedAt === null ? '' : formatTime(device.revokedAt),
              device.id,
            ]),
          ),
    );
    return 0;
  },
});

export const devicesRevokeCommand = defineServerCommand({
  name: 'devices revoke',
  usage: 'ID',
  summary: 'Refuse a terminal from its next request on (devices list shows the ids); it enrols again with a new code',
  options: {},
  positionals: [{ label: 'ID', field: 'id' }],
  schema: adminContract['devices.revoke'].input,
  async run(context, input) {
    const device = await (await context.admin()).call('devices.revoke', input);
    print(context, device, () => `Revoked ${device.shortCode}${device.name ? ` (${device.name})` : ''}: its next request is refused.\n`);
    return 0;
  },
});
