import { describe, expect, it } from 'vitest';
import { formatMinorUnits } from './money-text.ts';
import { userText } from './spreadsheet-safety.ts';
import { csvFileName, spreadsheetCsv, spreadsheetTime } from './spreadsheet-file.ts';

describe('userText (CSV injection)', () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
  ])('neutralises %j', (value, expected) => {
    expect(userText(value)).toBe(expected);
  });

  it('leaves ordinary text alone and writes missing values as empty cells', () => {
    expect(userText('Anna de Vries')).toBe('Anna de Vries');
    expect(userText('a=b')).toBe('a=b');
    expect(userText('')).toBe('');
    expect(userText(null)).toBe('');
    expect(userText(undefined)).toBe('');
  });
});

describe('spreadsheet files', () => {
  it('starts with a BOM, ends lines with CRLF and quotes cells holding delimiters or line breaks', () => {
    expect(spreadsheetCsv([['a', 'b,c'], ['x\ry', 'say "hi"'], [], ['line\nbreak']])).toBe(
      '\uFEFFa,"b,c"\r\n"x\ry","say ""hi"""\r\n\r\n"line\nbreak"\r\n',
    );
  });

  it('formats timestamps as spreadsheet date-times', () => {
    expect(spreadsheetTime('2026-07-10T18:45:30.123Z')).toBe('2026-07-10 18:45:30');
    expect(spreadsheetTime(null)).toBe('');
  });

  it('builds safe file names from names, falling back to the id', () => {
    expect(csvFileName('customer', 'Zoë Müller', 'id-1')).toBe('customer-zoe-muller.csv');
    expect(csvFileName('customer', '../../etc/passwd', 'id-1')).toBe('customer-etc-passwd.csv');
    expect(csvFileName('customer', '李 小龙', '0196-ABC')).toBe('customer-0196-abc.csv');
    expect(csvFileName('customer', 'x'.repeat(100), 'id')).toBe(`customer-${'x'.repeat(60)}.csv`);
  });
});

describe('formatMinorUnits', () => {
  it('prints integer minor units with the currency decimals, without floating point', () => {
    expect(formatMinorUnits(1250, 'EUR')).toBe('12.50');
    expect(formatMinorUnits(-5, 'EUR')).toBe('-0.05');
    expect(formatMinorUnits(0, 'EUR')).toBe('0.00');
    expect(formatMinorUnits(123456789012345, 'EUR')).toBe('1234567890123.45');
    expect(formatMinorUnits(1500, 'JPY')).toBe('1500');
    expect(formatMinorUnits(1234, 'KWD')).toBe('1.234');
    expect(formatMinorUnits(1250, 'XXQ')).toBe('12.50');
  });
});
