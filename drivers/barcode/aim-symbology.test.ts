import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAimPrefix, startsWithAimIdentifier, symbologyOf } from './aim-symbology.ts';

describe('AIM symbology identifiers', () => {
  it.each([
    [']Q1', 'qr'],
    [']Q3', 'qr'],
    [']C0', 'code128'],
    [']C1', 'code128'],
    [']d1', 'datamatrix'],
    [']d2', 'datamatrix'],
    [']A0', 'code39'],
    [']L0', 'pdf417'],
    [']z0', 'aztec'],
    [']I0', 'interleaved2of5'],
    [']E4', 'ean8'],
    [']F0', 'unknown'],
    [']G0', 'unknown'],
    [']X0', 'unknown'],
  ])('%s names %s', (id, symbology) => {
    expect(symbologyOf(id)).toBe(symbology);
  });

  it('tells the EAN/UPC family apart by data length', () => {
    expect(symbologyOf(']E0', '5901234123457')).toBe('ean13');
    expect(symbologyOf(']E0', '036000291452')).toBe('upca');
    expect(symbologyOf(']E0', '01234565')).toBe('upce');
    expect(symbologyOf(']E3', '590123412345712')).toBe('ean13');
    expect(symbologyOf(']E1', '12')).toBe('unknown');
  });

  it('splits identifier and data', () => {
    expect(parseAimPrefix(']Q1BO-2026-000123')).toEqual({ id: ']Q1', symbology: 'qr', text: 'BO-2026-000123' });
    expect(parseAimPrefix(']E05901234123457')).toEqual({ id: ']E0', symbology: 'ean13', text: '5901234123457' });
    expect(parseAimPrefix(']C0')).toEqual({ id: ']C0', symbology: 'code128', text: '' });
  });

  it('leaves text without an identifier alone', () => {
    for (const text of ['', 'BO-1', ']', ']Q', '] Q1', 'Q1]abc', ']!1abc']) {
      expect(parseAimPrefix(text)).toBeUndefined();
      expect(startsWithAimIdentifier(text)).toBe(false);
    }
    expect(symbologyOf('nonsense')).toBe('unknown');
  });

  it('never throws and keeps every character of the data', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseAimPrefix(text);
        if (parsed) expect(parsed.id + parsed.text).toBe(text);
        symbologyOf(text, text);
      }),
    );
  });
});
