/** Timestamps arrive as ISO-8601 UTC; staff read them in the terminal's local time. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function parse(iso: string | null | undefined): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function formatDateTime(iso: string | null | undefined, formatter: Intl.DateTimeFormat = dateTime): string {
  const date = parse(iso);
  return date ? formatter.format(date) : 'N/A';
}

export function formatDate(iso: string | null | undefined, formatter: Intl.DateTimeFormat = dateOnly): string {
  const date = parse(iso);
  return date ? formatter.format(date) : 'N/A';
}
