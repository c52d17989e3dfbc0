import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestCore, insertEvent, snapshot } from '../../test/fixtures/store.ts';
import type { ImportPreview, ImportPreviewInput } from '../import/import.contract.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../test/fixtures/csv', name), 'utf8');

async function preview(input: ImportPreviewInput): Promise<ImportPreview> {
  const { core } = createTestCore();
  const result = await core.invoke('import.preview', input);
  if (!result.ok) throw new Error(`${result.error.code} ${result.error.field}: ${result.error.message}`);
  return result.value;
}

describe('import.preview', () => {
  it('shows the delimiter, header, automatic mapping and first rows of a file', async () => {
    const value = await preview({ text: fixture('customers-with-errors.csv') });
    expect(value).toEqual({
      delimiter: ',',
      header: ['Email', 'First name', 'Last name', 'Ticket', 'Membership level'],
      columns: ['email', 'firstName', 'lastName', 'ticketReference', null],
      sample: [
        ['good@example.com', 'Good', 'Row', 'TCK-2001', 'gold'],
        ['not-an-email', 'Bad', 'Email', 'TCK-2002', ''],
        expect.arrayContaining(['long@example.com']),
        ['extra@example.com', 'Too', 'Many', 'TCK-2004', 'x', 'unexpected'],
        ['thief@example.com', 'Someone', 'Else', 'TCK-HELD', ''],
        ['', 'Nobody', 'Here', '', ''],
        ['nobody@example.com', 'No', 'Ticket', '', ''],
        ['second@example.com', 'Second', 'Good', 'TCK-2008', ''],
      ],
      rowsEstimate: 8,
    });
  });

  it.each([
    ['semicolons and a BOM', 'customers-semicolon-bom.csv', ';'],
    ['tabs', 'customers-tab.tsv', '\t'],
  ])('detects %s as import.customers does', async (_label, name, delimiter) => {
    const value = await preview({ text: fixture(name) });
    expect(value.delimiter).toBe(delimiter);
    expect(value.header[0]).not.toMatch(/^\uFEFF/);
    expect(value.columns).toContain('email');
    expect(value.rowsEstimate).toBe(3);
    // A quoted line break stays inside its cell.
    expect(value.sample.some((row) => row.some((cell) => cell.includes('\n')))).toBe(true);
  });

  it('keeps quoted delimiters and line breaks inside their cells', async () => {
    const value = await preview({ text: fixture('customers-comma.csv') });
    expect(value.sample).toHaveLength(3);
    expect(value.sample.flat()).toContain('Smith, Jr.');
    expect(value.sample.flat()).toContain('Line one\r\nLine two');
  });

  it('samples only the first rows, skips rows of empty cells and estimates the rest from line breaks', async () => {
    const rows = Array.from({ length: 120 }, (_, index) => `person${index}@example.com,T-${index}`);
    const text = ['email,ticket', ',', ...rows, ''].join('\n');
    const value = await preview({ text, sampleRows: 3 });
    expect(value.sample).toEqual([
      ['person0@example.com', 'T-0'],
      ['person1@example.com', 'T-1'],
      ['person2@example.com', 'T-2'],
    ]);
    // The blank-cells row is a line too: an estimate, one more than the 120 the import would read.
    expect(value.rowsEstimate).toBe(121);
    expect((await preview({ text })).sample).toHaveLength(10);
  });

  it('counts exactly when the whole file fits the sample, and a header alone has no rows', async () => {
    expect((await preview({ text: 'email\na@example.com\n\nb@example.com' })).rowsEstimate).toBe(2);
    expect(await preview({ text: 'Email;Ticket\r\n' })).toEqual({
      delimiter: ';',
      header: ['Email', 'Ticket'],
      columns: ['email', 'ticketReference'],
      sample: [],
      rowsEstimate: 0,
    });
  });

  it('previews a header import.customers cannot map on its own, so staff can choose the columns', async () => {
    const value = await preview({ text: 'Mail adres,Naam\nanna@example.com,Anna\n' });
    expect(value.columns).toEqual([null, null]);
    expect(value.sample).toEqual([['anna@example.com', 'Anna']]);
  });

  it('stops the sample where the file stops being valid CSV', async () => {
    const value = await preview({ text: 'email,ticket\na@example.com,T-1\nb@example.com,"T-2\nc@example.com,T-3\n' });
    expect(value.sample).toEqual([['a@example.com', 'T-1']]);
    expect(value.rowsEstimate).toBe(2);
  });

  it.each([
    ['an empty file', { text: '' }, 'text', /^The file is empty/],
    ['a malformed header', { text: 'email,"ticket\n' }, 'text', /^The header row is not valid CSV/],
    ['a sample of 0 rows', { text: 'email\n', sampleRows: 0 }, 'sampleRows', /^Sample rows: must be from 1 to 50$/],
    ['a sample of 51 rows', { text: 'email\n', sampleRows: 51 }, 'sampleRows', /^Sample rows: must be from 1 to 50$/],
    ['no text', {}, 'text', /^Send either the file's text or the uploadId/],
  ])('refuses %s with VALIDATION and writes nothing', async (_label, input, field, message) => {
    const { store, core } = createTestCore();
    insertEvent(store);
    const before = snapshot(store);
    const result = await core.invoke('import.preview', input as ImportPreviewInput);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, message: expect.stringMatching(message) } });
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses a text over 64 MB before reading it', async () => {
    const { core } = createTestCore();
    const result = await core.invoke('import.preview', { text: 'e'.repeat(64 * 1024 * 1024 + 1) });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'text', message: expect.stringMatching(/larger than 64 MB/) } });
  });

  it('writes nothing for a good file either', async () => {
    const { store, core } = createTestCore();
    insertEvent(store);
    const before = snapshot(store);
    const result = await core.invoke('import.preview', { text: fixture('customers-comma.csv') });
    expect(result.ok).toBe(true);
    expect(snapshot(store)).toEqual(before);
  });
});
