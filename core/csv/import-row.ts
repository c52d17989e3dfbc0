import { z } from 'zod';
import { profileFields } from '../customers/profile-fields.ts';
import { emailSchema, optionalText, ticketReferenceSchema } from '../fields.ts';
import type { RawImportRow } from './header-mapping.ts';

/**
 * One imported row after validation: the same rules and limits as editing a customer by hand
 * (customers.update), so an import can never store what the form would refuse. It is also the
 * shape of the rows carried by the `import.customers` command in the outbox.
 */
export const importRowSchema = z
  .object({
    /** The row as a spreadsheet numbers it (header = 1). */
    row: z.number().int().min(2),
    email: emailSchema.nullable(),
    ...profileFields,
    ticketReference: ticketReferenceSchema.nullable(),
    ticketType: optionalText(100, 'Ticket type'),
  })
  .refine((row) => row.email !== null || row.ticketReference !== null, {
    message: 'the row has neither an email nor a ticket reference',
  });
export type ImportRow = z.output<typeof importRowSchema>;

export type ParsedImportRow = { ok: true; row: ImportRow } | { ok: false; reason: string };

/** Validates one row; the reason names every bad field, e.g. `email: Invalid email address`. */
export function parseImportRow(row: number, cells: RawImportRow): ParsedImportRow {
  const parsed = importRowSchema.safeParse({ row, ...cells });
  if (parsed.success) return { ok: true, row: parsed.data };
  const reason = parsed.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  return { ok: false, reason };
}
