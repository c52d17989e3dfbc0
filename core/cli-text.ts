/**
 * Plain text of the two command lines (`box-office` on a terminal, `box-office-server`): aligned
 * tables, times and one-line messages. Host-agnostic, so the server's CLI prints as the terminal's does.
 */

/** ISO timestamp as `2026-07-10 14:05` (UTC), the precision staff read. */
export function formatTime(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—';
}

const zonedFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * ISO timestamp as `2026-07-10 16:05` on the wall clock of a time zone (an event's: staff at the
 * venue read its times in its zone, whatever zone the terminal runs in). An unknown zone falls
 * back to UTC and says so.
 */
export function formatTimeIn(iso: string | null, timeZone: string): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '—';
  let format = zonedFormats.get(timeZone);
  if (!format) {
    try {
      // sv-SE writes dates as ISO does (2026-07-10 16:05), so columns sort and align.
      format = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      return `${formatTime(iso)} UTC`;
    }
    zonedFormats.set(timeZone, format);
  }
  return format.format(Date.parse(iso));
}

const width = (text: string) => [...text.normalize('NFC')].length;

/** Left-aligned columns separated by two spaces, with a header row. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(width(header), ...rows.map((row) => width(row[column] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - width(cell))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Makes any text safe for a one-line message. */
export const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** `1 command`, `1,204 commands`: a count with its noun. */
export const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
