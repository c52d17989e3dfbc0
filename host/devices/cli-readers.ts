import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { normalizeTagUid } from '../../core/fields.ts';
import { createHidPosReader, type HidDeviceSelector } from '../../drivers/barcode/hid-pos-reader.ts';
import { createSerialBarcodeReader } from '../../drivers/barcode/serial-barcode-reader.ts';
import type { Reader } from '../../drivers/reader.ts';
import { createSimulatedReader } from '../../drivers/simulated/simulated-reader.ts';

/** `--path` of a HID scanner: a device path, or its USB id `0c2e:0b87`. */
export function hidSelectorFromPath(path: string): HidDeviceSelector {
  const usb = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(path.trim());
  return usb ? { vendorId: parseInt(usb[1]!, 16), productId: parseInt(usb[2]!, 16) } : { path };
}

export const serialBarcodeCliReader = (path: string): Reader => createSerialBarcodeReader({ id: `serial-barcode:${path}`, path });

export const hidPosCliReader = (path: string): Reader => createHidPosReader({ id: `hid-pos:${path}`, device: hidSelectorFromPath(path) });

/**
 * `box-office reader --driver simulated --path -`: a simulated reader driven by lines on stdin, for
 * demos and scripts. `tag UID` presents a tag (held until `remove` or the next tag), `remove` takes
 * it away, `barcode TEXT` scans; a bare line is a tag when it is a UID, else a barcode.
 */
export function simulatedCliReader(_path: string, input: Readable = process.stdin): Reader {
  const reader = createSimulatedReader('simulated');
  let lines: ReturnType<typeof createInterface> | undefined;
  // Like a real reader, it streams until interrupted, also after the input ended.
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  return {
    id: reader.id,
    onEvent: reader.onEvent,
    async start() {
      await reader.start();
      keepAlive = setInterval(() => undefined, 60_000);
      lines = createInterface({ input });
      lines.on('line', (line) => {
        const text = line.trim();
        if (text === '') return;
        const [word, ...rest] = text.split(/\s+/);
        const argument = rest.join(' ');
        if (word === 'remove') reader.removeTag();
        else if (word === 'barcode' && argument) reader.scanBarcode(argument);
        else if (word === 'tag' && normalizeTagUid(argument)) reader.presentTag({ uid: normalizeTagUid(argument)! });
        else if (normalizeTagUid(text)) reader.presentTag({ uid: normalizeTagUid(text)! });
        else reader.scanBarcode(text);
      });
    },
    async stop() {
      lines?.close();
      if (keepAlive) clearInterval(keepAlive);
      await reader.stop();
    },
  };
}
