// The package's browser build: the same stringifier with its own Buffer, so the user interface can
// write a CSV too (the import's rejected rows); the Node build touches Buffer as it loads.
import { stringify } from 'csv-stringify/browser/esm/sync';

/**
 * Writes rows the way spreadsheets open them without an import dialog: UTF-8 with a BOM (Excel
 * otherwise guesses a legacy code page), CRLF line ends, and quotes around any cell holding a
 * delimiter, quote or line break (quote_record_delimiter must be explicit once the record
 * delimiter is set, or a lone CR in a cell would split the row).
 */
export function spreadsheetCsv(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { bom: true, record_delimiter: 'windows', quote_record_delimiter: true });
}

/** `2026-05-01T09:00:00.000Z` → `2026-05-01 09:00:00`: a form spreadsheets read as a date-time. */
export function spreadsheetTime(iso: string | null): string {
  if (!iso) return '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export const yesNo = (flag: number | boolean): string => (flag ? 'Yes' : 'No');

/** Letters that carry no combining mark to strip, spelled the way their languages transliterate them. */
const letterFolds: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', þ: 'th' };

/**
 * A download name with safe characters only: `customer-zoe-muller.csv`. Accents are folded,
 * anything else becomes `-`; falls back to the id when the name leaves nothing.
 */
export function csvFileName(prefix: string, label: string, fallbackId: string): string {
  const slug = (text: string) =>
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[øæœßłđþ]/g, (letter) => letterFolds[letter] ?? '-')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/g, '');
  const name = slug(label) || slug(fallbackId) || 'unknown';
  return `${prefix}-${name}.csv`;
}
