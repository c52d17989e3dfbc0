import type { Symbology } from '../reader.ts';
import { decodeBarcodeBytes } from './barcode-text.ts';
import { symbologyOf } from './aim-symbology.ts';

/**
 * HID POS barcode scanners (usage page 0x8C, "Scanned Data Report"), in the layout Honeywell,
 * Zebra and Datalogic scanners use in HID POS mode:
 *
 *   byte 0      report id (0x02 by default)
 *   byte 1      number of data bytes in this report (0..56)
 *   bytes 2-4   AIM symbology identifier (`]Q1`; zeros when the scanner sends none)
 *   bytes 5-60  data
 *   bytes 61-62 vendor symbology code (not used: the AIM identifier is standard)
 *   byte 63     bit 0 set: the barcode continues in the next report
 *
 * A barcode longer than 56 bytes arrives as several reports. The decoder is pure and never throws:
 * reports with another id are ignored, malformed ones drop the barcode being assembled, and the
 * next well-formed report starts afresh.
 */

export const hidPosReportLength = 64;
const headerLength = 5;
const maxDataPerReport = 56;
const continuationIndex = 63;
/** Longer than any barcode (a QR code holds at most 7,089 characters): beyond it, garbage. */
const maxBarcodeBytes = 8192;

export interface HidPosScan {
  text: string;
  symbology: Symbology;
  /** The AIM identifier the scanner sent, or null. */
  aimId: string | null;
}

export interface HidPosDecoderOptions {
  reportId?: number;
}

export interface HidPosDecoder {
  /** Feeds one input report; returns the barcode it completes, if any. */
  push(report: Uint8Array): HidPosScan | undefined;
  /** Drops a half-assembled barcode (the device closed, or its rest never came). */
  reset(): void;
  /** Whether a barcode is half-assembled. */
  readonly pending: boolean;
  /** Reports refused as malformed since the decoder was made. */
  readonly rejectedReports: number;
}

function aimIdOf(report: Uint8Array): string | null {
  const bytes = report.subarray(2, headerLength);
  if (bytes[0] !== 0x5d) return null; // `]`
  return String.fromCharCode(...bytes);
}

export function createHidPosDecoder(options: HidPosDecoderOptions = {}): HidPosDecoder {
  const reportId = options.reportId ?? 0x02;
  let chunks: Uint8Array[] = [];
  let size = 0;
  let aimId: string | null = null;
  let rejected = 0;

  const reset = () => {
    chunks = [];
    size = 0;
    aimId = null;
  };

  return {
    push(report) {
      if (report.length === 0 || report[0] !== reportId) return undefined;
      const length = report[1] ?? 0;
      if (report.length < headerLength || length > maxDataPerReport || headerLength + length > report.length) {
        rejected += 1;
        reset();
        return undefined;
      }
      const reportAim = aimIdOf(report);
      // Scanners repeat the identifier in every report of a barcode: a different one means the
      // previous barcode's rest was lost and this report starts a new one.
      if (chunks.length > 0 && reportAim !== aimId) reset();
      if (chunks.length === 0) aimId = reportAim;
      chunks.push(report.slice(headerLength, headerLength + length));
      size += length;
      if (size > maxBarcodeBytes) {
        rejected += 1;
        reset();
        return undefined;
      }
      const continued = report.length > continuationIndex && ((report[continuationIndex] ?? 0) & 1) === 1;
      if (continued) return undefined;

      const data = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        data.set(chunk, offset);
        offset += chunk.length;
      }
      const id = aimId;
      reset();
      const text = decodeBarcodeBytes(data);
      if (text === '') return undefined;
      return { text, symbology: id === null ? 'unknown' : symbologyOf(id, text), aimId: id };
    },
    reset,
    get pending() {
      return chunks.length > 0;
    },
    get rejectedReports() {
      return rejected;
    },
  };
}

/**
 * Builds the reports a scanner sends for one barcode (for tests, the emulator and the simulated
 * reader's documentation of the format).
 */
export function encodeHidPosReports(data: Uint8Array, aimId: string | null, reportId = 0x02): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset === 0 || offset < data.length; offset += maxDataPerReport) {
    const part = data.subarray(offset, offset + maxDataPerReport);
    const report = new Uint8Array(hidPosReportLength);
    report[0] = reportId;
    report[1] = part.length;
    if (aimId) for (let i = 0; i < 3; i += 1) report[2 + i] = aimId.charCodeAt(i) & 0xff;
    report.set(part, headerLength);
    if (offset + maxDataPerReport < data.length) report[continuationIndex] = 1;
    reports.push(report);
  }
  return reports;
}
