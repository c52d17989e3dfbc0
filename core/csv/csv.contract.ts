import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { idSchema } from '../fields.ts';
import { delimiterCandidates } from './delimiter.ts';
import { importFieldLabels, importFields, type ImportField } from './header-mapping.ts';

/** A CSV download: a safe file name and the file's text (UTF-8 with BOM, CRLF line ends). */
export const csvFileSchema = z.object({
  fileName: z.string(),
  csv: z.string(),
});
export type CsvFile = z.infer<typeof csvFileSchema>;

const customerExportInput = z.object({ customerId: idSchema });

/** Where the import reads its CSV from: a file on this computer, or text already in memory. */
export const importSourceSchema = z.union([
  z.object({ path: z.string().min(1, 'File path is empty') }).strict(),
  z.object({ text: z.string() }).strict(),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

export const importFieldSchema = z.enum(importFields);

/**
 * The field each column of the file holds (null: ignored), in header order, as staff chose it in
 * the preview. A field may be chosen for one column only.
 */
export const importColumnsSchema = z.array(importFieldSchema.nullable()).superRefine((columns, context) => {
  const firstColumn = new Map<ImportField, number>();
  columns.forEach((field, index) => {
    if (field === null) return;
    const first = firstColumn.get(field);
    if (first === undefined) firstColumn.set(field, index);
    else context.addIssue({ code: 'custom', message: `${importFieldLabels[field]} is chosen for two columns (${first + 1} and ${index + 1})` });
  });
});

export const importCustomersInputSchema = z.object({
  source: importSourceSchema,
  /** Overrides the mapping read from the header (import.preview's `columns`); one entry per header column. */
  columns: importColumnsSchema.optional(),
  /** Validate and count exactly as a real run would, then write nothing. */
  dryRun: z.boolean().default(false),
  eventId: idSchema.optional(),
  /**
   * Rows per transaction (and per outbox command, per progress event). Each commit rewrites every
   * page the batch touched in the random-order indexes (e-mail, name, ticket reference), so larger
   * batches write less per row: 5,000 rows import ~10% faster than 2,500 and ~50% faster than
   * 1,000 here. The import holds the write lock for one batch (~0.25 s), during which a check-in
   * scan on the same store waits: imports belong on back-office terminals, not on a gate in use.
   */
  batchSize: z.number().int().min(1).max(10_000).default(5000),
});
export type ImportCustomersInput = z.input<typeof importCustomersInputSchema>;

export const importRejectionSchema = z.object({
  /** The row as a spreadsheet numbers it: header = 1, first data row = 2 (blank lines count). */
  row: z.number().int(),
  reason: z.string(),
});
export type ImportRejection = z.infer<typeof importRejectionSchema>;

export const importCustomersResultSchema = z.object({
  /** The event the rows were imported into; null only when no event exists and none was created
   * (a dry run that would create one, or a file without a single importable row). */
  eventId: z.string().nullable(),
  /** True when the data folder had no event and the import created (or, in a dry run, would create) one. */
  eventCreated: z.boolean(),
  dryRun: z.boolean(),
  /** Data rows read (header and blank rows not counted). */
  rowsRead: z.number().int(),
  /** Rows that created a customer and/or a ticket. */
  imported: z.number().int(),
  /** Rows that changed an existing customer's profile or assigned them an existing ticket. */
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(importRejectionSchema),
  /** Names of the ticket types the import created (or would create) in the event. */
  createdTicketTypes: z.array(z.string()),
  /** Header names that matched no known column, as written in the file. */
  ignoredColumns: z.array(z.string()),
});
export type ImportCustomersResult = z.infer<typeof importCustomersResultSchema>;

/** The text of a file picked in the user interface: the web host accepts messages up to 64 MB. */
export const maxImportTextLength = 64 * 1024 * 1024;

export const importPreviewInputSchema = z.object({
  text: z.string().max(maxImportTextLength, 'The file is larger than 64 MB: import it with the box-office CLI instead'),
  sampleRows: z.number().int().min(1).max(50).default(10),
});
export type ImportPreviewInput = z.input<typeof importPreviewInputSchema>;

export const importPreviewSchema = z.object({
  delimiter: z.enum(delimiterCandidates),
  /** Column names as written in the file (trimmed). */
  header: z.array(z.string()),
  /** The field each column would be imported as without a choice (import.customers' own mapping). */
  columns: z.array(importFieldSchema.nullable()),
  /** The first data rows (rows of empty cells skipped), cells as written. */
  sample: z.array(z.array(z.string())),
  /** Data rows in the file: exact when the sample reached the end, else counted from its line breaks. */
  rowsEstimate: z.number().int().nonnegative(),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export const csvOperations = {
  'export.customerCsv': operation({
    input: customerExportInput,
    output: csvFileSchema,
    summary: "One customer's profile, tickets and tags as a spreadsheet-ready CSV file.",
  }),
  'export.creditHistoryCsv': operation({
    input: customerExportInput,
    output: csvFileSchema,
    summary: "A customer's credit, virtual credit and token ledger with running balances, as CSV.",
  }),
  'import.customers': operation({
    input: importCustomersInputSchema,
    output: importCustomersResultSchema,
    summary: 'Imports customers and their tickets from a CSV file, in batches, reporting progress.',
  }),
  'import.preview': operation({
    input: importPreviewInputSchema,
    output: importPreviewSchema,
    summary: "A CSV file's delimiter, header, automatic column mapping and first rows, before importing it.",
  }),
} as const;
