import { DomainError } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { importPreviewInputSchema, type ImportPreview, type ImportPreviewInput } from '../import/import.contract.ts';
import { mapHeader } from './header-mapping.ts';
import { openImportFile } from './import-source.ts';
import { uploadedText } from './import-uploads.ts';
import type { Store } from '../../db/store.ts';

/**
 * What import.customers would make of a file, before anything is written: the delimiter, the header
 * and the mapping it would use, and the first rows, read by the very same reader (import-source.ts)
 * and header mapping (header-mapping.ts) as the import. A header without an email or ticket
 * reference column is not refused here: staff can still say which column holds what.
 */
export async function previewImport(store: Store, rawInput: ImportPreviewInput): Promise<ImportPreview> {
  const input = parseInput(importPreviewInputSchema, rawInput);
  const text = input.text ?? uploadedText(store, input.uploadId ?? '');
  const file = await openImportFile({ text }).catch((error: unknown) => {
    // The reader blames its `source`; here the file arrived as `text` (or an upload, shown the same way).
    if (error instanceof DomainError && error.field === 'source') throw new DomainError(error.code, error.message, 'text');
    throw error;
  });
  try {
    const sample: string[][] = [];
    let rowsSeen = 0;
    let stoppedEarly = false;
    reading: for await (const records of file.records()) {
      for (const record of records) {
        // A malformed stretch ends the file for the import too (it reports that row and stops).
        if ('error' in record) {
          rowsSeen += 1;
          break reading;
        }
        if (record.cells.every((cell) => cell.trim() === '')) continue;
        if (sample.length === input.sampleRows) {
          stoppedEarly = true;
          break reading;
        }
        sample.push(record.cells);
        rowsSeen += 1;
      }
    }
    return {
      delimiter: file.delimiter,
      header: file.header,
      columns: mapHeader(file.header).columns,
      sample,
      rowsEstimate: stoppedEarly ? Math.max(rowsSeen + 1, dataLinesIn(text)) : rowsSeen,
    };
  } finally {
    file.close();
  }
}

/**
 * Lines after the header, for a file too long to parse for a preview: a line break inside a quoted
 * cell or a blank line counts as a row, so this is an estimate (a customer file has few of either).
 */
function dataLinesIn(text: string): number {
  const lineBreak = text.includes('\n') ? '\n' : '\r';
  let lines = 0;
  for (let index = text.indexOf(lineBreak); index !== -1; index = text.indexOf(lineBreak, index + 1)) lines += 1;
  const endsWithBreak = text.endsWith(lineBreak);
  return Math.max(0, lines + (endsWithBreak ? 0 : 1) - 1);
}
