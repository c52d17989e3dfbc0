import { describe, expect, it } from 'vitest';
import {
  encodeCommand,
  getFirmwareVersion,
  hsuWakeUp,
  inListPassiveTarget106A,
  inRelease,
  parseEmptyResponse,
  parseFirmwareVersion,
  parseInListPassiveTarget106A,
  parseInRelease,
  rfConfigurationMaxRetries,
  samConfigurationNormal,
  type Pn532Command,
} from './commands.ts';
import { fromHex, toHex } from './frame-codec.ts';

const frameHex = (command: Pn532Command) => toHex(encodeCommand(command));

describe('PN532 command builders', () => {
  it('build the frames of the user manual', () => {
    expect(frameHex(getFirmwareVersion())).toBe('0000FF02FED4022A00');
    expect(frameHex(samConfigurationNormal())).toBe('0000FF05FBD4140114010200');
    expect(frameHex(inListPassiveTarget106A())).toBe('0000FF04FCD44A0100E100');
    expect(frameHex(inRelease(1))).toBe('0000FF03FDD45201D900');
  });

  it('sets finite passive-activation retries, never the infinite 0xFF', () => {
    expect(frameHex(rfConfigurationMaxRetries({ atrRes: 0xff, psl: 0x01, passiveActivation: 2 }))).toBe('0000FF06FAD43205FF0102F300');
    expect(rfConfigurationMaxRetries({ atrRes: 0xff, psl: 0x01, passiveActivation: 0xff }).params).toEqual(fromHex('05 FF 01 FE'));
    expect(rfConfigurationMaxRetries({ atrRes: 0xff, psl: 0x01, passiveActivation: -3 }).params).toEqual(fromHex('05 FF 01 00'));
  });

  it('wakes the HSU link with 0x55 bytes and a long preamble', () => {
    expect(toHex(hsuWakeUp())).toBe(`5555${'00'.repeat(14)}`);
  });
});

describe('PN532 response parsers', () => {
  it('read the firmware version', () => {
    expect(parseFirmwareVersion(fromHex('03 32 01 06 07'))).toEqual({ ok: true, value: { ic: 0x32, version: 1, revision: 6, support: 7 } });
    expect(parseFirmwareVersion(fromHex('03 32 01 06'))).toEqual({ ok: false, reason: 'GetFirmwareVersion answered 3 bytes, expected 4' });
    expect(parseFirmwareVersion(fromHex('15'))).toEqual({ ok: false, reason: 'response code 15 does not answer command 02' });
    expect(parseFirmwareVersion(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty response' });
  });

  it('accept the empty SAMConfiguration and RFConfiguration responses', () => {
    expect(parseEmptyResponse(fromHex('15'), samConfigurationNormal())).toEqual({ ok: true, value: null });
    const rf = rfConfigurationMaxRetries({ atrRes: 0xff, psl: 1, passiveActivation: 2 });
    expect(parseEmptyResponse(fromHex('33'), rf)).toEqual({ ok: true, value: null });
    expect(parseEmptyResponse(fromHex('33 00'), rf)).toEqual({ ok: false, reason: 'rfConfiguration answered 1 unexpected bytes' });
    expect(parseEmptyResponse(fromHex('33'), samConfigurationNormal()).ok).toBe(false);
  });

  it('read an InListPassiveTarget response with ATQA, SAK and a 7-byte UID (user manual example)', () => {
    expect(parseInListPassiveTarget106A(fromHex('4B 01 01 00 44 00 07 04 A2 24 B2 C3 3F 80'))).toEqual({
      ok: true,
      value: [{ targetNumber: 1, atqa: fromHex('00 44'), sak: 0x00, uid: fromHex('04 A2 24 B2 C3 3F 80'), ats: undefined }],
    });
  });

  it('read 4- and 10-byte UIDs, an ATS, two targets and none', () => {
    expect(parseInListPassiveTarget106A(fromHex('4B 01 01 00 04 08 04 A1 B2 C3 D4'))).toMatchObject({ ok: true, value: [{ uid: fromHex('A1 B2 C3 D4'), sak: 0x08 }] });
    expect(parseInListPassiveTarget106A(fromHex('4B 01 01 00 84 00 0A 04 A1 B2 C3 D4 E5 F6 07 18 29'))).toMatchObject({
      ok: true,
      value: [{ uid: fromHex('04 A1 B2 C3 D4 E5 F6 07 18 29') }],
    });
    expect(parseInListPassiveTarget106A(fromHex('4B 01 01 03 44 20 07 04 35 2A 7A 6E 26 80 06 75 77 81 02 80'))).toMatchObject({
      ok: true,
      value: [{ atqa: fromHex('03 44'), sak: 0x20, ats: fromHex('06 75 77 81 02 80') }],
    });
    expect(parseInListPassiveTarget106A(fromHex('4B 02 01 00 04 08 04 A1 B2 C3 D4 02 00 04 08 04 01 02 03 04'))).toMatchObject({
      ok: true,
      value: [{ targetNumber: 1 }, { targetNumber: 2, uid: fromHex('01 02 03 04') }],
    });
    expect(parseInListPassiveTarget106A(fromHex('4B 00'))).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['4B', 'InListPassiveTarget response has no target count'],
    ['4B 03', 'InListPassiveTarget reported 3 targets; the PN532 lists at most 2'],
    ['4B 01 01 00 44', 'InListPassiveTarget target 1 is cut short'],
    ['4B 01 01 00 44 00 05 01 02 03 04 05', 'InListPassiveTarget UID length 5 is not 4, 7 or 10'],
    ['4B 01 01 00 44 00 07 04 A2 24', 'InListPassiveTarget UID of target 1 is cut short'],
    ['4B 01 01 03 44 20 07 04 35 2A 7A 6E 26 80 06 75 77', 'InListPassiveTarget ATS of target 1 is cut short'],
    ['4B 01 01 00 04 08 04 A1 B2 C3 D4 99', 'InListPassiveTarget response has 1 bytes after its targets'],
    ['03 32 01 06 07', 'response code 03 does not answer command 4a'],
  ])('refuse a malformed InListPassiveTarget response %s', (hex, reason) => {
    expect(parseInListPassiveTarget106A(fromHex(hex))).toEqual({ ok: false, reason });
  });

  it('read the InRelease status', () => {
    expect(parseInRelease(fromHex('53 00'))).toEqual({ ok: true, value: { status: 0 } });
    expect(parseInRelease(fromHex('53 67'))).toEqual({ ok: true, value: { status: 0x27 } });
    expect(parseInRelease(fromHex('53'))).toEqual({ ok: false, reason: 'InRelease answered 0 bytes, expected a status byte' });
  });
});
