/**
 * Money is integer minor units everywhere (DESIGN.md section 10); only text for people turns it
 * into decimals. One formatter for core messages ("Paid €800.00 is less than the total €889.00"),
 * files and the screen: the decimal text is built from the integer and handed to Intl as a string,
 * so no floating-point division ever touches an amount. Pure: core and the renderer both import it.
 */

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      // An unknown currency code in the data must not break a card, a message or an export.
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

/**
 * `88900, 'EUR'` → `€889.00`. Core's messages leave `locale` out and get English ('en'), the
 * language of every message core writes; the screen passes the browser's locale (or undefined).
 */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  return currencyFormatter(currency, locale).format(minorUnitsToDecimal(minor, currencyDigits(currency)));
}

/** The same amount for core's own messages, always in English whatever the host's locale. */
export function moneyInMessage(minor: number, currency: string): string {
  return formatMoney(minor, currency, 'en');
}
