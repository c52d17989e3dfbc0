/**
 * PN532 host-controller frames (NXP UM0701-02 section 6.2): pure encoders and a streaming decoder
 * that never throws, skips garbage up to the next start code, and drops corrupt frames without
 * losing a valid frame that follows them.
 *
 *   normal       00 00 FF LEN LCS TFI PD0..PDn DCS 00
 *   extended     00 00 FF FF FF LENM LENL LCS TFI PD0..PDn DCS 00
 *   ACK          00 00 FF 00 FF 00
 *   NACK         00 00 FF FF 00 00
 *   error        00 00 FF 01 FF 7F 81 00   (application-level error: a syntax error in the command)
 *
 * LEN counts TFI and the data bytes; LEN + LCS and TFI + PD... + DCS are 0 modulo 256.
 */

export const hostToPn532 = 0xd4;
export const pn532ToHost = 0xd5;
const errorFrameIdentifier = 0x7f;

/** The PN532 buffers at most 264 data bytes; anything longer is a corrupt header, not a frame. */
export const maxFrameDataLength = 264;

export type FrameIdentifier = typeof hostToPn532 | typeof pn532ToHost;

export type CorruptReason =
  /** LEN + LCS (or LENM + LENL + LCS) is not 0 modulo 256. */
  | 'length-checksum'
  /** TFI + data + DCS is not 0 modulo 256. */
  | 'data-checksum'
  /** A length of 0, or longer than the PN532 can hold. */
  | 'length'
  /** Neither D4 (host to PN532) nor D5 (PN532 to host) nor the error frame's 7F. */
  | 'frame-identifier'
  /** The stream ended (or went quiet) in the middle of a frame. */
  | 'truncated';

export type Pn532Frame =
  | { type: 'ack' }
  | { type: 'nack' }
  | { type: 'error' }
  | { type: 'information'; tfi: FrameIdentifier; data: Uint8Array; extended: boolean }
  | { type: 'corrupt'; reason: CorruptReason };

const sum = (bytes: Uint8Array, from: number, to: number): number => {
  let total = 0;
  for (let index = from; index < to; index += 1) total += bytes[index]!;
  return total & 0xff;
};

const checksumOf = (value: number) => (0x100 - (value & 0xff)) & 0xff;

export const ackFrame = (): Uint8Array => Uint8Array.of(0x00, 0x00, 0xff, 0x00, 0xff, 0x00);
export const nackFrame = (): Uint8Array => Uint8Array.of(0x00, 0x00, 0xff, 0xff, 0x00, 0x00);
export const errorFrame = (): Uint8Array => Uint8Array.of(0x00, 0x00, 0xff, 0x01, 0xff, errorFrameIdentifier, 0x81, 0x00);

/**
 * Encodes TFI + data as a normal frame, or as an extended frame when it does not fit in one length
 * byte (or when `extended` is asked for).
 */
export function encodeInformationFrame(tfi: FrameIdentifier, data: Uint8Array, options: { extended?: boolean } = {}): Uint8Array {
  const length = data.length + 1;
  const extended = options.extended === true || length > 0xff;
  const header = extended
    ? [0x00, 0x00, 0xff, 0xff, 0xff, length >> 8, length & 0xff, checksumOf((length >> 8) + (length & 0xff))]
    : [0x00, 0x00, 0xff, length, checksumOf(length)];
  const frame = new Uint8Array(header.length + length + 2);
  frame.set(header, 0);
  frame[header.length] = tfi;
  frame.set(data, header.length + 1);
  frame[header.length + length] = checksumOf(tfi + sum(data, 0, data.length));
  frame[header.length + length + 1] = 0x00;
  return frame;
}

type Attempt = { kind: 'frame'; frame: Pn532Frame; end: number } | { kind: 'corrupt'; reason: CorruptReason } | { kind: 'incomplete' };

/** Reads one frame whose start code (00 FF) begins at `start`. */
function readFrameAt(buffer: Uint8Array, start: number): Attempt {
  const available = buffer.length - start;
  if (available < 4) return { kind: 'incomplete' };
  const first = buffer[start + 2]!;
  const second = buffer[start + 3]!;
  if (first === 0x00 && second === 0xff) return { kind: 'frame', frame: { type: 'ack' }, end: start + 4 };
  if (first === 0xff && second === 0x00) return { kind: 'frame', frame: { type: 'nack' }, end: start + 4 };

  let length: number;
  let bodyStart: number;
  const extended = first === 0xff && second === 0xff;
  if (extended) {
    if (available < 7) return { kind: 'incomplete' };
    const high = buffer[start + 4]!;
    const low = buffer[start + 5]!;
    if (((high + low + buffer[start + 6]!) & 0xff) !== 0) return { kind: 'corrupt', reason: 'length-checksum' };
    length = (high << 8) | low;
    bodyStart = start + 7;
  } else {
    if (((first + second) & 0xff) !== 0) return { kind: 'corrupt', reason: 'length-checksum' };
    length = first;
    bodyStart = start + 4;
  }
  if (length === 0 || length > maxFrameDataLength + 1) return { kind: 'corrupt', reason: 'length' };
  // TFI, data, DCS
  if (buffer.length < bodyStart + length + 1) return { kind: 'incomplete' };
  const tfi = buffer[bodyStart]!;
  if (tfi !== hostToPn532 && tfi !== pn532ToHost && !(tfi === errorFrameIdentifier && length === 1)) {
    return { kind: 'corrupt', reason: 'frame-identifier' };
  }
  if (((sum(buffer, bodyStart, bodyStart + length) + buffer[bodyStart + length]!) & 0xff) !== 0) {
    return { kind: 'corrupt', reason: 'data-checksum' };
  }
  const end = bodyStart + length + 1;
  if (tfi === errorFrameIdentifier) return { kind: 'frame', frame: { type: 'error' }, end };
  return { kind: 'frame', frame: { type: 'information', tfi, data: buffer.slice(bodyStart + 1, bodyStart + length), extended }, end };
}

/** Index of the next start code (00 FF) at or after `from`, or -1. */
function findStartCode(buffer: Uint8Array, from: number): number {
  for (let index = from; index + 1 < buffer.length; index += 1) {
    if (buffer[index] === 0x00 && buffer[index + 1] === 0xff) return index;
  }
  return -1;
}

/**
 * A streaming decoder: `feed(chunk)` returns the frames completed by that chunk. Bytes that are not
 * part of a frame (garbage, preambles, postambles, the 0x55 wake-up bytes) are skipped. After a
 * corrupt frame it rescans from just past that frame's start code, so a valid frame hidden behind a
 * corrupt or truncated header is never lost.
 */
export class Pn532FrameDecoder {
  private buffer: Uint8Array = new Uint8Array(0);

  feed(chunk: Uint8Array): Pn532Frame[] {
    if (chunk.length === 0) return [];
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    this.buffer = joined;
    return this.drain(false);
  }

  /**
   * The stream ended or went quiet (a response timeout): a frame still incomplete is reported as
   * truncated and dropped, and whatever follows its start code is decoded.
   */
  flush(): Pn532Frame[] {
    const frames = this.drain(true);
    this.buffer = new Uint8Array(0);
    return frames;
  }

  /** True while part of a frame is buffered (the rest may still arrive). */
  get pending(): boolean {
    return findStartCode(this.buffer, 0) !== -1;
  }

  reset(): void {
    this.buffer = new Uint8Array(0);
  }

  private drain(atEnd: boolean): Pn532Frame[] {
    const frames: Pn532Frame[] = [];
    let position = 0;
    for (;;) {
      const start = findStartCode(this.buffer, position);
      if (start === -1) {
        // Keep a trailing 00: it may be the first half of a start code.
        position = this.buffer.length > 0 && this.buffer[this.buffer.length - 1] === 0x00 ? this.buffer.length - 1 : this.buffer.length;
        break;
      }
      const attempt = readFrameAt(this.buffer, start);
      if (attempt.kind === 'frame') {
        frames.push(attempt.frame);
        position = attempt.end;
      } else if (attempt.kind === 'corrupt') {
        frames.push({ type: 'corrupt', reason: attempt.reason });
        position = start + 1;
      } else if (atEnd) {
        frames.push({ type: 'corrupt', reason: 'truncated' });
        position = start + 1;
      } else {
        position = start;
        break;
      }
    }
    this.buffer = this.buffer.slice(position);
    return frames;
  }
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join('');

/** Parses hex with optional spaces or colons ("00 00 FF", "04:a2"); for tests, the emulator and fixtures. */
export function fromHex(text: string): Uint8Array {
  const digits = text.replace(/[\s:]/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex bytes: "${text}"`);
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}
