import { currencyDigits, minorUnitsToDecimal } from '../money/money.ts';

/**
 * Money as text for files: integer minor units → `12.50`, with the currency's own number of
 * decimals (JPY 0, EUR 2, KWD 3), and no currency sign so spreadsheets read it as a number.
 * The digits come from the one money module core messages and the screen use too.
 */
export function formatMinorUnits(amount: number, currency: string): string {
  return minorUnitsToDecimal(amount, currencyDigits(currency));
}
