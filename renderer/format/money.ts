/**
 * The screen formats money with the same pure module core writes its messages with, so a total in
 * an error and a total on the card always read alike.
 */
import type { LedgerKind } from '../../core/enumerations.ts';
import { formatMoney } from '../../core/money/money.ts';

export { currencyDigits, formatMoney, minorUnitsToDecimal } from '../../core/money/money.ts';

/** A customer's balances are the ledger's kinds. */
export type BalanceKind = LedgerKind;

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
