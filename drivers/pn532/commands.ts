/**
 * The PN532 commands this driver sends (UM0701-02 section 7) and parsers for their responses.
 * Builders return the command code and its parameters (the frame's data after TFI D4); parsers take
 * the response data after TFI D5 and never throw: a malformed response is `{ ok: false, reason }`.
 */
import { encodeInformationFrame, hostToPn532 } from './frame-codec.ts';

export const commandCodes = {
  getFirmwareVersion: 0x02,
  samConfiguration: 0x14,
  rfConfiguration: 0x32,
  inListPassiveTarget: 0x4a,
  inRelease: 0x52,
} as const;

export type CommandName = keyof typeof commandCodes;

export interface Pn532Command {
  name: CommandName;
  code: number;
  params: Uint8Array;
}

const command = (name: CommandName, ...params: number[]): Pn532Command => ({ name, code: commandCodes[name], params: Uint8Array.from(params) });

/** The bytes on the wire: a normal information frame D4 CC params... */
export const encodeCommand = (pn532Command: Pn532Command): Uint8Array =>
  encodeInformationFrame(hostToPn532, Uint8Array.of(pn532Command.code, ...pn532Command.params));

/**
 * HSU wake-up (UM0701-02 section 7.2.11 / libnfc pn532_uart): 0x55 bytes then a long preamble of
 * zeros, sent just before the first command so the PN532 leaves power-down in time to read it.
 */
export const hsuWakeUp = (): Uint8Array => Uint8Array.of(0x55, 0x55, ...new Array<number>(14).fill(0x00));

export const getFirmwareVersion = (): Pn532Command => command('getFirmwareVersion');

/**
 * SAMConfiguration in normal mode (no secure access module). The timeout byte only matters in
 * virtual-card mode; the IRQ byte asks the PN532 to drive P70_IRQ, harmless when unwired.
 */
export const samConfigurationNormal = (): Pn532Command => command('samConfiguration', 0x01, 0x14, 0x01);

export interface MaxRetries {
  /** Retries of ATR_REQ (DEP); 0xFF is the PN532 default. */
  atrRes: number;
  /** Retries of PSL_REQ / PPS. */
  psl: number;
  /** Retries of passive activation during InListPassiveTarget; must be finite (not 0xFF). */
  passiveActivation: number;
}

/**
 * RFConfiguration item 5 (MaxRetries). With the default 0xFF passive-activation retries,
 * InListPassiveTarget waits for a tag forever, so the driver sets a finite number: an empty reader
 * answers "no target" quickly and the poll loop stays in charge.
 */
export function rfConfigurationMaxRetries(retries: MaxRetries): Pn532Command {
  const passive = Math.min(Math.max(Math.trunc(retries.passiveActivation), 0), 0xfe);
  return command('rfConfiguration', 0x05, retries.atrRes & 0xff, retries.psl & 0xff, passive);
}

/** InListPassiveTarget for one ISO 14443A target at 106 kbps (BrTy 00). */
export const inListPassiveTarget106A = (): Pn532Command => command('inListPassiveTarget', 0x01, 0x00);

/** InRelease of target `target` (0 releases every target). */
export const inRelease = (target = 0x01): Pn532Command => command('inRelease', target & 0xff);

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** Checks that `data` (after TFI D5) answers `code` (the response code is the command code + 1). */
function responseBody(data: Uint8Array, code: number): Parsed<Uint8Array> {
  if (data.length === 0) return fail('empty response');
  if (data[0] !== code + 1) return fail(`response code ${data[0]!.toString(16).padStart(2, '0')} does not answer command ${code.toString(16).padStart(2, '0')}`);
  return { ok: true, value: data.subarray(1) };
}

/** True when `data` (after TFI D5) is the response to `pn532Command`. */
export const answers = (data: Uint8Array, pn532Command: Pn532Command): boolean => data.length > 0 && data[0] === pn532Command.code + 1;

export interface FirmwareVersion {
  /** 0x32 for a PN532. */
  ic: number;
  version: number;
  revision: number;
  /** Bit 0 ISO/IEC 14443 type A, bit 1 type B, bit 2 ISO 18092. */
  support: number;
}

export function parseFirmwareVersion(data: Uint8Array): Parsed<FirmwareVersion> {
  const body = responseBody(data, commandCodes.getFirmwareVersion);
  if (!body.ok) return body;
  if (body.value.length !== 4) return fail(`GetFirmwareVersion answered ${body.value.length} bytes, expected 4`);
  const [ic, version, revision, support] = body.value;
  return { ok: true, value: { ic: ic!, version: version!, revision: revision!, support: support! } };
}

/** SAMConfiguration and RFConfiguration answer with their response code and nothing else. */
export function parseEmptyResponse(data: Uint8Array, pn532Command: Pn532Command): Parsed<null> {
  const body = responseBody(data, pn532Command.code);
  if (!body.ok) return body;
  if (body.value.length !== 0) return fail(`${pn532Command.name} answered ${body.value.length} unexpected bytes`);
  return { ok: true, value: null };
}

export interface PassiveTarget {
  /** Tg: the PN532's logical number for the target (used by InRelease). */
  targetNumber: number;
  /** SENS_RES as the PN532 reports it, most significant byte first (00 44 for NTAG21x). */
  atqa: Uint8Array;
  /** SEL_RES. */
  sak: number;
  /** NFCID1: 4, 7 or 10 bytes. */
  uid: Uint8Array;
  /** The ISO 14443-4 answer to select (TL first), present when SAK bit 6 says the tag speaks -4. */
  ats: Uint8Array | undefined;
}

/** InListPassiveTarget at 106 kbps type A: NbTg then, per target, Tg ATQA(2) SAK UIDLen UID [ATS]. */
export function parseInListPassiveTarget106A(data: Uint8Array): Parsed<PassiveTarget[]> {
  const body = responseBody(data, commandCodes.inListPassiveTarget);
  if (!body.ok) return body;
  const bytes = body.value;
  if (bytes.length === 0) return fail('InListPassiveTarget response has no target count');
  const count = bytes[0]!;
  if (count > 2) return fail(`InListPassiveTarget reported ${count} targets; the PN532 lists at most 2`);
  const targets: PassiveTarget[] = [];
  let offset = 1;
  for (let index = 0; index < count; index += 1) {
    if (bytes.length < offset + 5) return fail(`InListPassiveTarget target ${index + 1} is cut short`);
    const targetNumber = bytes[offset]!;
    const atqa = bytes.slice(offset + 1, offset + 3);
    const sak = bytes[offset + 3]!;
    const uidLength = bytes[offset + 4]!;
    if (uidLength !== 4 && uidLength !== 7 && uidLength !== 10) return fail(`InListPassiveTarget UID length ${uidLength} is not 4, 7 or 10`);
    offset += 5;
    if (bytes.length < offset + uidLength) return fail(`InListPassiveTarget UID of target ${index + 1} is cut short`);
    const uid = bytes.slice(offset, offset + uidLength);
    offset += uidLength;
    let ats: Uint8Array | undefined;
    // The ATS is only there for ISO 14443-4 tags, and its first byte (TL) counts itself.
    if ((sak & 0x20) !== 0 && offset < bytes.length) {
      const atsLength = bytes[offset]!;
      if (atsLength === 0 || bytes.length < offset + atsLength) return fail(`InListPassiveTarget ATS of target ${index + 1} is cut short`);
      ats = bytes.slice(offset, offset + atsLength);
      offset += atsLength;
    }
    targets.push({ targetNumber, atqa, sak, uid, ats });
  }
  if (offset !== bytes.length) return fail(`InListPassiveTarget response has ${bytes.length - offset} bytes after its targets`);
  return { ok: true, value: targets };
}

/** InRelease answers a status byte: 00 is success, otherwise the low 6 bits are the error code. */
export function parseInRelease(data: Uint8Array): Parsed<{ status: number }> {
  const body = responseBody(data, commandCodes.inRelease);
  if (!body.ok) return body;
  if (body.value.length !== 1) return fail(`InRelease answered ${body.value.length} bytes, expected a status byte`);
  return { ok: true, value: { status: body.value[0]! & 0x3f } };
}
