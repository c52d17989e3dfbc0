import { z } from 'zod';
import { Pn532Reader } from '../../../drivers/pn532/pn532-reader.ts';
import type { Reader, ReaderEvent } from '../../../drivers/reader.ts';
import { cliArguments, defineCliCommand } from '../cli-command.ts';
import { hidPosCliReader, serialBarcodeCliReader, simulatedCliReader } from '../../devices/cli-readers.ts';

/** How `box-office reader` builds a reader for each `--driver`; other drivers join this map. */
export const cliReaderDrivers = {
  pn532: (path: string): Reader => new Pn532Reader({ path }),
  'serial-barcode': serialBarcodeCliReader,
  /** `--path /dev/hidraw3` or the scanner's USB id, `--path 0c2e:0b87`. */
  'hid-pos': hidPosCliReader,
  /** `--path -`: tags and barcodes typed on stdin (`tag 04A224B2`, `barcode BO-1`, `remove`). */
  simulated: (path: string): Reader => simulatedCliReader(path),
} satisfies Record<string, (path: string) => Reader>;

type DriverName = keyof typeof cliReaderDrivers;
const driverNames = Object.keys(cliReaderDrivers) as [DriverName, ...DriverName[]];

/** One line for people; `--json` prints the event itself. */
export function describeReaderEvent(event: ReaderEvent): string {
  switch (event.type) {
    case 'connected':
      return 'Reader connected';
    case 'disconnected':
      return `Reader disconnected: ${event.reason}`;
    case 'tagPresented':
      return `Tag presented: ${event.uid} (${event.kind}, ATQA ${event.atqa}, SAK ${event.sak}${event.randomUid ? ', random UID: cannot be bound to a customer' : ''})`;
    case 'tagRemoved':
      return `Tag removed: ${event.uid}`;
    case 'barcodeScanned':
      return `Barcode scanned: ${event.text} (${event.symbology})`;
    case 'error':
      return `Error ${event.code}: ${event.message}${event.retryable ? ' (retrying)' : ''}`;
  }
}

/** The JSON line: the event type and what was read first, as in `{"type":"tagPresented","uid":…}`. */
function jsonLine(event: ReaderEvent): string {
  const { type, readerId, ...details } = event;
  return JSON.stringify({ type, ...details, readerId });
}

export const readerCommand = defineCliCommand({
  name: 'reader',
  usage: `--driver ${driverNames.join('|')} --path P`,
  summary: 'Stream events from one reader (tags presented and removed, errors) until Ctrl+C',
  options: { driver: { type: 'string' }, path: { type: 'string' } },
  positionals: [],
  schema: z.object({
    driver: z.enum(driverNames, { error: `expected one of ${driverNames.join(', ')}` }),
    path: cliArguments.text('--path'),
  }),
  async run(context, args) {
    const reader = cliReaderDrivers[args.driver](args.path);
    const { stdout, stderr } = context.io;
    let failed = false;
    let interrupted: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      interrupted = resolve;
      reader.onEvent((event) => {
        if (context.options.json) stdout.write(`${jsonLine(event)}\n`);
        else (event.type === 'error' ? stderr : stdout).write(`${describeReaderEvent(event)}\n`);
        // A reader that cannot work on this machine (e.g. no serial driver) will not recover by itself.
        if (event.type === 'error' && !event.retryable) {
          failed = true;
          resolve();
        }
      });
    });
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    if (!context.options.json) stdout.write(`Reading from ${args.path} with the ${args.driver} driver. Press Ctrl+C to stop.\n`);
    await reader.start();
    await finished;
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await reader.stop();
    return failed ? 1 : 0;
  },
});
