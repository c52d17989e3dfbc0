import type { z } from 'zod';
import { invalid } from './errors.ts';

/**
 * Parses input at a boundary. On failure it throws one VALIDATION error naming the first bad field
 * (dotted path) and saying what is wrong with it, e.g. `email: Invalid email address`.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const message = issue?.message ?? 'Invalid input';
  throw invalid(field ? `${field}: ${message}` : message, field);
}
