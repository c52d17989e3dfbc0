import { sql, type Store } from '../../db/store.ts';
import type { LedgerKind } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { findEvent } from '../events/current.ts';
import type { CsvFile } from '../export/export.contract.ts';
import { formatMinorUnits } from './money-text.ts';
import { userText } from './spreadsheet-safety.ts';
import { csvFileName, spreadsheetCsv, spreadsheetTime } from './spreadsheet-file.ts';

const kindNames: Record<LedgerKind, string> = { credit: 'Credit', virtual_credit: 'Virtual credit', token: 'Token' };

/**
 * A customer's ledger in time order, one table: each entry with its amount and the balance of ITS
 * kind after it (credits, virtual credits and tokens are separate purses, so one running total
 * across kinds would mean nothing). Credits and virtual credits are money: printed as decimals in
 * the event's currency, named in the Unit column; tokens are whole units.
 */
export function exportCreditHistoryCsv(store: Store, customerId: string): CsvFile {
  const customer = store.first(
    sql
      .selectFrom('customers')
      .select(['id', 'first_name', 'last_name'])
      .where('id', '=', customerId)
      .where('deleted_at', 'is', null),
  );
  if (!customer) throw notFound('This customer is not on this terminal', 'customerId');

  const entries = store.all(
    sql
      .selectFrom('ledger_entries')
      .leftJoin('events', 'events.id', 'ledger_entries.event_id')
      .leftJoin('orders', 'orders.id', 'ledger_entries.order_id')
      .select([
        'ledger_entries.created_at',
        'ledger_entries.kind',
        'ledger_entries.amount',
        'ledger_entries.reason',
        'ledger_entries.device_id',
        'events.currency',
        'orders.number as order_number',
      ])
      .where('ledger_entries.customer_id', '=', customerId)
      .orderBy('ledger_entries.created_at')
      .orderBy('ledger_entries.id'),
  );
  // Entries written without an event (e.g. a gift card) are in the data folder's event currency.
  const fallbackCurrency = findEvent(store)?.currency ?? 'EUR';

  const balances: Record<LedgerKind, number> = { credit: 0, virtual_credit: 0, token: 0 };
  const rows: string[][] = [
    ['Date (UTC)', 'Kind', 'Amount', 'Unit', 'Balance after', 'Reason', 'Order number', 'Device'],
  ];
  for (const entry of entries) {
    balances[entry.kind] += entry.amount;
    const currency = entry.currency ?? fallbackCurrency;
    const asText = (units: number) => (entry.kind === 'token' ? String(units) : formatMinorUnits(units, currency));
    rows.push([
      spreadsheetTime(entry.created_at),
      kindNames[entry.kind],
      asText(entry.amount),
      entry.kind === 'token' ? 'tokens' : currency,
      asText(balances[entry.kind]),
      userText(entry.reason),
      userText(entry.order_number),
      userText(entry.device_id),
    ]);
  }

  const name = [customer.first_name, customer.last_name].filter(Boolean).join(' ');
  return { fileName: csvFileName('credit-history', name, customer.id), csv: spreadsheetCsv(rows) };
}
