/** Text output of the CLI: money, dates and aligned tables for a terminal. */

const fractionDigitsCache = new Map<string, number>();

function fractionDigits(currency: string): number {
  let digits = fractionDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    fractionDigitsCache.set(currency, digits);
  }
  return digits;
}

/**
 * Integer minor units as money, e.g. 123450 EUR → "€1,234.50". The decimal text is built from
 * the integer (no floating-point division), so large amounts print exactly.
 */
export function formatMoney(minorUnits: number, currency: string): string {
  const digits = fractionDigits(currency);
  const negative = minorUnits < 0;
  const text = String(Math.abs(minorUnits)).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits) || '0';
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let symbol = `${currency} `;
  try {
    const part = new Intl.NumberFormat('en', { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency');
    if (part) symbol = part.value.length === 1 ? part.value : `${part.value} `;
  } catch {
    // An unknown currency code prints as its code.
  }
  return `${negative ? '-' : ''}${symbol}${grouped}${fraction}`;
}

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

export const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');

/** Makes any text safe for a one-line message. */
export const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
