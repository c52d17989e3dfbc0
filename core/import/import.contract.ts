import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema } from '../fields.ts';
import { delimiterCandidates } from '../csv/delimiter.ts';
import { importFieldLabels, importFields, type ImportField } from '../csv/header-mapping.ts';

/**
 * Importing customers and their tickets from a CSV file: the file's upload in chunks, its
 * preview and the import itself. The implementation is in core/csv (import-*.ts).
 */

/**
 * Where the import reads its CSV from: a file on this computer, text already in memory, or a file
 * the user interface uploaded in chunks (import.upload), so no single message carries a whole file.
 */
export const importSourceSchema = z.union([
  z.object({ path: z.string().min(1, 'File path is empty') }).strict(),
  z.object({ text: z.string() }).strict(),
  z.object({ uploadId: idSchema }).strict(),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

export const importFieldSchema = z.enum(importFields, {
  message: `not a field Box Office imports (one of: ${importFields.map((field) => importFieldLabels[field]).join(', ')})`,
});

const typeNameSchema = z.string().trim().min(1, 'Ticket type name is empty').max(100, 'Ticket type name is longer than 100 characters');

/** Staff's choice for one unknown ticket type name: import its rows as an existing type, or create it. */
export const ticketTypeChoiceSchema = z.union([
  z.object({ name: typeNameSchema, mapTo: typeNameSchema }).strict(),
  z.object({ name: typeNameSchema, create: z.literal(true) }).strict(),
]);
export type TicketTypeChoice = z.infer<typeof ticketTypeChoiceSchema>;

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
  /**
   * What to do with ticket type names the event does not have (listed by a dry run's
   * `unknownTicketTypes`): import them as an existing type, or create them. Rows whose type has no
   * choice are rejected, unless `createTicketTypes` is set or the event has no type yet.
   */
  ticketTypeChoices: z.array(ticketTypeChoiceSchema).max(1000).default([]),
  /** Create every unknown ticket type (CLI `--create-types`). */
  createTicketTypes: z.boolean().default(false),
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
  /** The row's cells as read from the file, for the rejected-rows CSV (rejectedRowsCsv). */
  cells: z.array(z.string()),
});
export type ImportRejection = z.infer<typeof importRejectionSchema>;

/** A row imported with something staff should check (e.g. an e-mail already used higher up in the file). */
export const importWarningSchema = z.object({ row: z.number().int(), message: z.string() });

export const unknownTicketTypeSchema = z.object({
  /** As written in the file (the first spelling met). */
  name: z.string(),
  /** Rows rejected because of it. */
  rows: z.number().int(),
  /** The event's closest type ("Weekend" for "Wekend"), or null when none is close. */
  suggestion: z.string().nullable(),
});
export type UnknownTicketType = z.infer<typeof unknownTicketTypeSchema>;

export const importCustomersResultSchema = z.object({
  /** The event the rows were imported into; null only when no event exists and none was created
   * (a dry run that would create one, or a file without a single importable row). */
  eventId: z.string().nullable(),
  /** True when the data folder had no event and the import created (or, in a dry run, would create) one. */
  eventCreated: z.boolean(),
  dryRun: z.boolean(),
  /** Data rows read (header and blank rows not counted). */
  rowsRead: z.number().int(),
  /** Rows that created a customer (with its ticket). */
  imported: z.number().int(),
  /** Rows of a customer who existed (in the store or higher up in the file) that changed their profile or gave them a ticket. */
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(importRejectionSchema),
  warnings: z.array(importWarningSchema),
  /** The file's header as read, for the rejected-rows CSV. */
  header: z.array(z.string()),
  /** Names of the ticket types the import created (or would create) in the event. */
  createdTicketTypes: z.array(z.string()),
  /** Ticket type names the event lacks that no choice covered: their rows were (or would be) rejected. */
  unknownTicketTypes: z.array(unknownTicketTypeSchema),
  /** Header names that matched no known column, as written in the file. */
  ignoredColumns: z.array(z.string()),
});
export type ImportCustomersResult = z.infer<typeof importCustomersResultSchema>;

/** The text of a file picked in the user interface: the web host accepts messages up to 64 MB. */
export const maxImportTextLength = 64 * 1024 * 1024;

const sampleRowsSchema = z.number().int('must be a whole number').min(1, 'must be from 1 to 50').max(50, 'must be from 1 to 50').default(10);

/** The file to preview: its text, or a file sent before in chunks (import.upload). */
export const importPreviewInputSchema = z
  .object({
    text: z.string().max(maxImportTextLength, 'The file is larger than 64 MB: import it with the box-office CLI instead').optional(),
    uploadId: idSchema.optional(),
    sampleRows: sampleRowsSchema,
  })
  .refine((input) => (input.text === undefined) !== (input.uploadId === undefined), {
    message: "Send either the file's text or the uploadId of a file sent with import.upload",
    path: ['text'],
  });

/**
 * Characters in one import.upload chunk: at most 6 bytes each once JSON-escaped (`\u0001`), so a
 * chunk's message stays under the web host's 1 MiB cap whatever the file holds.
 */
export const maxUploadChunkLength = 160 * 1024;

export const importUploadInputSchema = z.object({
  /** Absent for the first chunk: the answer names the upload the next chunks continue. */
  uploadId: idSchema.optional(),
  /** Where this chunk starts in the file, in characters (the previous answer's `length`). */
  offset: z.number().int().min(0),
  chunk: z.string().max(maxUploadChunkLength, `A chunk holds at most ${maxUploadChunkLength} characters`),
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

export const importOperations = {
  'import.customers': operation({
    roles: rolesFrom('admin'),
    input: importCustomersInputSchema,
    output: importCustomersResultSchema,
    summary: 'Imports customers and their tickets from a CSV file, in batches, reporting progress.',
  }),
  'import.upload': operation({
    roles: rolesFrom('admin'),
    input: importUploadInputSchema,
    output: z.object({ uploadId: idSchema, length: z.number().int() }),
    summary: 'Sends a file to import in chunks; import.preview and import.customers then take its uploadId.',
  }),
  'import.preview': operation({
    roles: rolesFrom('admin'),
    input: importPreviewInputSchema,
    output: importPreviewSchema,
    summary: "A CSV file's delimiter, header, automatic column mapping and first rows, before importing it.",
  }),
} as const;
