import { z } from 'zod';

/**
 * What a conflict rule did to a command that was applied anyway (DESIGN.md section 6): a double
 * admission kept and flagged, a tag replaced by a later activation, a field overwritten by a later
 * edit, a customer matched by e-mail. A body reports it with `tx.conflict()`; the server's receipt
 * then says `applied_with_conflict` with these, and staff are alerted.
 */
export const conflictSchema = z.object({
  /** `double_admission`, `tag_replaced`, `field_overwritten`, `email_matched`… */
  kind: z.string().min(1),
  /** What staff read. */
  message: z.string().min(1),
  entity: z.string().optional(),
  entityId: z.string().optional(),
});

export type Conflict = z.infer<typeof conflictSchema>;
