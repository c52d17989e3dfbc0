/**
 * Money is integer minor units everywhere (DESIGN.md section 10); only the screen turns it into
 * decimals. The decimal text is built from the integer and handed to Intl as a string, so no
 * floating-point division ever touches an amount.
 */

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      // An unknown currency code must not break the card: fall back to plain two decimals.
      formatter = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Digits after the decimal point for a currency: 2 for EUR, 0 for JPY, 3 for KWD. */
export function currencyDigits(currency: string): number {
  return currencyFormatter(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;
}

/** `1250` minor units of 2-digit currency → `"12.50"`; exact for any safe integer. */
export function minorUnitsToDecimal(minor: number, digits: number): `${number}` {
  const negative = minor < 0;
  const text = Math.abs(Math.trunc(minor)).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}` as `${number}`;
}

export function formatMoney(minor: number, currency: string, locale?: string): string {
  const formatter = currencyFormatter(currency, locale);
  return formatter.format(minorUnitsToDecimal(minor, currencyDigits(currency)));
}

export type BalanceKind = 'credit' | 'virtual_credit' | 'token';

export const balanceKindLabels: Record<BalanceKind, string> = {
  credit: 'Credits',
  virtual_credit: 'Virtual credits',
  token: 'Tokens',
};

/** Credits and virtual credits are money (minor units of the event currency); tokens are counts. */
export function formatBalance(kind: BalanceKind, amount: number, currency: string, locale?: string): string {
  if (kind === 'token') return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(amount);
  return formatMoney(amount, currency, locale);
}
