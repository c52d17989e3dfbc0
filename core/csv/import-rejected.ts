import type { ImportCustomersResult } from '../import/import.contract.ts';
import { importFieldLabels, type ImportField } from './header-mapping.ts';
import { spreadsheetCsv } from './spreadsheet-file.ts';

/**
 * A rejected row's reason as staff read it: the planner names each field as the API does
 * (`ticketReference: ticket … belongs to another customer; phone: …`), one part per bad field;
 * people read "Ticket reference", "Phone".
 */
export function describeRejection(reason: string): string {
  return reason
    .split('; ')
    .map((part) => {
      const match = /^([A-Za-z]+): /.exec(part);
      const field = match?.[1];
      if (!match || !field || !Object.hasOwn(importFieldLabels, field)) return part;
      return `${importFieldLabels[field as ImportField]}: ${part.slice(match[0].length)}`;
    })
    .join('; ');
}

export const rejectedRowColumn = 'Row in the original file';
export const rejectedReasonColumn = 'Why it was not imported';

/**
 * The rejected rows as a file to fix and import again: the original header and cells exactly as
 * read (so the fixed file maps and matches as the first did; the extra columns match no import
 * field and are ignored), then the original row number and the reason. Written like every CSV
 * download (UTF-8 with BOM, CRLF). Cells are not formula-escaped: they are the organiser's own
 * file, and a leading `'` would be imported back into the customer's phone or name.
 */
export function rejectedRowsCsv(result: Pick<ImportCustomersResult, 'header' | 'rejected'>): string {
  const width = Math.max(result.header.length, ...result.rejected.map((rejection) => rejection.cells.length));
  const header = Array.from({ length: width }, (_, index) => result.header[index] ?? '');
  const rows = result.rejected.map((rejection) => [
    ...Array.from({ length: width }, (_, index) => rejection.cells[index] ?? ''),
    String(rejection.row),
    describeRejection(rejection.reason),
  ]);
  return spreadsheetCsv([[...header, rejectedRowColumn, rejectedReasonColumn], ...rows]);
}

/** `customers.csv` → `customers-rejected-rows.csv`. */
export function rejectedRowsFileName(fileName: string): string {
  const base = fileName.replace(/\.(csv|tsv|txt)$/i, '') || 'import';
  return `${base}-rejected-rows.csv`;
}
