import { z } from 'zod';

/**
 * What a ticket's or tag's status pill says: a stable code (for scripts and tests), the words staff
 * read, and a tone the screens colour by (good = would be admitted, bad = refused, neutral = not
 * in use). Built only by ticketStatus (core/tickets) and tagStatus (core/tags).
 */
export const statusTones = ['good', 'bad', 'neutral'] as const;
export type StatusTone = (typeof statusTones)[number];

export const credentialStatusSchema = z.object({
  code: z.string(),
  label: z.string(),
  tone: z.enum(statusTones),
});
export type CredentialStatus = z.infer<typeof credentialStatusSchema>;
