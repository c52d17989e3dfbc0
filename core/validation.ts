import type { z } from 'zod';
import { invalid } from './errors.ts';

/**
 * Parses input at a boundary. On failure it throws one VALIDATION error about the first bad field:
 * `field` keeps the machine-readable dotted path (`items.0.uid`, where the UI puts the message),
 * and the message names the field in words staff read (`UID (item 1): ...`), never the path.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (!issue) throw invalid('Invalid input');
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  throw invalid(field === undefined ? issue.message : fieldMessage(issue.path, issue), field);
}

/** Input fields by their name in the API, as staff call them. */
const fieldWords: Readonly<Record<string, string>> = {
  uid: 'UID',
  newUid: 'New UID',
  oldUid: 'Old UID',
  email: 'E-mail address',
  emails: 'E-mail address',
  firstName: 'First name',
  lastName: 'Last name',
  references: 'Ticket reference',
  reference: 'Ticket reference',
  ticketReference: 'Ticket reference',
  query: 'Search text',
  limit: 'Number of results',
  amountPaid: 'Paid amount',
  code: 'Code',
  pin: 'PIN',
  items: 'Item',
  serverUrl: 'Server address',
};

/** `ticketTypeId` → "Ticket type", `verificationStatus` → "Verification status". */
function wordsOf(name: string): string {
  const known = fieldWords[name];
  if (known !== undefined) return known;
  const words = name
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A field path in words: `email` → "E-mail address", `references.2` → "Ticket reference 3",
 * `items.0.uid` → "UID (item 1)". Positions count from 1, as on screen.
 */
export function fieldLabel(path: readonly PropertyKey[]): { label: string; name: string } {
  const parts: string[] = [];
  for (const segment of path) {
    // One element of a list is named in the singular: `columns.1` → "Column 2".
    if (typeof segment === 'number' && parts.length > 0) parts[parts.length - 1] = `${parts.at(-1)!.replace(/([^s])s$/, '$1')} ${segment + 1}`;
    else parts.push(wordsOf(String(segment)));
  }
  const last = parts.pop() ?? 'Input';
  const name = wordsOf(String([...path].reverse().find((segment) => typeof segment !== 'number') ?? 'Input'));
  const context = parts.map((part) => part.charAt(0).toLowerCase() + part.slice(1)).join(', ');
  return { label: context === '' ? last : `${last} (${context})`, name };
}

function fieldMessage(path: readonly PropertyKey[], issue: z.core.$ZodIssue): string {
  const { label, name } = fieldLabel(path);
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `${label} is required`;
  // Messages that already start with the field's name ("Ticket reference is empty") get its
  // position instead of a repeated label.
  if (issue.message.toLowerCase().startsWith(name.toLowerCase())) return `${label}${issue.message.slice(name.length)}`;
  // A message that names the field itself ("Tag UID must be 4, 7 or 10 bytes") needs no label.
  const named = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(issue.message);
  return label === name && named ? issue.message : `${label}: ${issue.message}`;
}
