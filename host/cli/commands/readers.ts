import { z } from 'zod';
import { readerDriverLabels } from '../../../core/readers/readers.contract.ts';
import { defineCliCommand } from '../cli-command.ts';
import { formatTable } from '../format.ts';
import { invokeOrFail } from '../invoke.ts';

export const readersCommand = defineCliCommand({
  name: 'readers',
  usage: '',
  summary: 'List devices that could be readers (serial ports with USB VID:PID, HID barcode scanners) and the configured readers',
  options: {},
  positionals: [],
  schema: z.object({}),
  async run(context) {
    const host = context.host();
    const found = await invokeOrFail(host, 'readers.candidates', {});
    const { readers } = await invokeOrFail(host, 'readers.list', {});
    const { stdout } = context.io;
    if (context.options.json) {
      const configured = readers.map(({ id, name, driver, path, usbId, options }) => ({ id, name, driver, path, usbId, options }));
      stdout.write(`${JSON.stringify({ candidates: found.candidates, unavailable: found.unavailable, readers: configured })}\n`);
      return 0;
    }
    if (found.candidates.length === 0) {
      stdout.write('No serial port or HID barcode scanner found.\n');
    } else {
      stdout.write(
        formatTable(
          ['Kind', 'Path', 'USB id', 'Device', 'Suggested driver', 'Configured as'],
          found.candidates.map((candidate) => [
            candidate.kind === 'hid' ? 'HID' : 'Serial',
            candidate.path,
            candidate.usbId ?? '—',
            [candidate.manufacturer, candidate.product].filter(Boolean).join(' ') || '—',
            candidate.suggestedDriver ?? '—',
            candidate.configuredAs ?? '—',
          ]),
        ),
      );
    }
    for (const problem of found.unavailable) stdout.write(`${problem.kind === 'hid' ? 'HID devices' : 'Serial ports'} cannot be listed: ${problem.message}\n`);
    if (readers.length > 0) {
      stdout.write('\nConfigured readers:\n');
      stdout.write(
        formatTable(
          ['Name', 'Driver', 'Device', 'Reader id'],
          readers.map((reader) => [reader.name, readerDriverLabels[reader.driver], reader.path ?? reader.usbId ?? '—', reader.id]),
        ),
      );
    }
    return 0;
  },
});
