import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema } from '../fields.ts';

/** Spreadsheet-ready CSV downloads of a customer's data. The implementation is in core/csv (export-*.ts). */

/** A CSV download: a safe file name and the file's text (UTF-8 with BOM, CRLF line ends). */
export const csvFileSchema = z.object({
  fileName: z.string(),
  csv: z.string(),
});
export type CsvFile = z.infer<typeof csvFileSchema>;

const customerExportInput = z.object({ customerId: idSchema });

export const exportOperations = {
  'export.customerCsv': operation({
    roles: rolesFrom('box_office'),
    input: customerExportInput,
    output: csvFileSchema,
    summary: "One customer's profile, tickets and tags as a spreadsheet-ready CSV file.",
  }),
  'export.creditHistoryCsv': operation({
    roles: rolesFrom('box_office'),
    input: customerExportInput,
    output: csvFileSchema,
    summary: "A customer's credit, virtual credit and token ledger with running balances, as CSV.",
  }),
} as const;
