/**
 * Money as text for files: integer minor units → `12.50`, with the currency's own number of
 * decimals (JPY 0, EUR 2, KWD 3). Integer arithmetic only, so no binary-fraction rounding.
 */
export function currencyDecimals(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown code in the data: show two decimals rather than failing the export.
    return 2;
  }
}

export function formatMinorUnits(amount: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  const sign = amount < 0 ? '-' : '';
  const units = Math.abs(amount);
  if (decimals === 0) return `${sign}${units}`;
  const scale = 10 ** decimals;
  return `${sign}${Math.floor(units / scale)}.${String(units % scale).padStart(decimals, '0')}`;
}
