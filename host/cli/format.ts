/** Text output of the CLI: money, dates and aligned tables for a terminal. */
// Shared with the server's CLI (box-office-server).
export { formatTable, formatTime, formatTimeIn, oneLine } from '../../core/cli-text.ts';

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

export const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');
