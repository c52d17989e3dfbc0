import type { Symbology } from '../reader.ts';
import { parseAimPrefix } from './aim-symbology.ts';
import { decodeBarcodeBytes } from './barcode-text.ts';

/**
 * Cuts the byte stream of a serial barcode scanner into barcodes. Scanners end each barcode with
 * CR, CRLF (or LF), or with nothing at all; in that last case only the pause after the last byte
 * tells where a barcode ends, so the reader calls `flush()` once `interByteTimeoutMs` passed
 * without a byte. Pure and total: any bytes are accepted, nothing throws.
 */

export interface SerialBarcodeFraming {
  /**
   * `auto`: CR, LF or CRLF ends a barcode, and so does a pause (scanners without a suffix).
   * `none`: only a pause ends a barcode, for codes that carry line breaks of their own.
   */
  suffix: 'auto' | 'none';
  /** The scanner sends an AIM identifier (`]Q1`) before the data. */
  aimPrefix: boolean;
}

export interface SerialScan {
  text: string;
  symbology: Symbology;
}

/** Longer than any barcode: a stream this long without an end is garbage, dropped. */
const maxBarcodeBytes = 8192;

export interface SerialBarcodeFramer {
  push(chunk: Uint8Array): SerialScan[];
  /** The pause after the last byte is over: what was received so far is a whole barcode. */
  flush(): SerialScan[];
  readonly pending: boolean;
}

export function createSerialBarcodeFramer(framing: SerialBarcodeFraming): SerialBarcodeFramer {
  let buffer: number[] = [];

  const finish = (): SerialScan[] => {
    const bytes = Uint8Array.from(buffer);
    buffer = [];
    const raw = decodeBarcodeBytes(bytes);
    if (raw.trim() === '') return [];
    if (framing.aimPrefix) {
      const parsed = parseAimPrefix(raw);
      if (parsed) return parsed.text === '' ? [] : [{ text: parsed.text, symbology: parsed.symbology }];
    }
    return [{ text: raw, symbology: 'unknown' }];
  };

  return {
    push(chunk) {
      const scans: SerialScan[] = [];
      for (const byte of chunk) {
        if (framing.suffix === 'auto' && (byte === 0x0d || byte === 0x0a)) {
          scans.push(...finish());
          continue;
        }
        buffer.push(byte);
        if (buffer.length > maxBarcodeBytes) buffer = [];
      }
      return scans;
    },
    flush: finish,
    get pending() {
      return buffer.length > 0;
    },
  };
}
