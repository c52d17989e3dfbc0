import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import {
  createTestCore,
  insertEvent,
  insertLedgerEntry,
  insertOrder,
  insertTestCustomer,
  snapshot,
} from '../../test/fixtures/store.ts';

function readCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true });
}

describe('export.creditHistoryCsv', () => {
  it('lists ledger entries in time order with a running balance per kind, negatives included', async () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    const customerId = insertTestCustomer(store, { first_name: 'Søren', last_name: 'Ñúñez' });
    const orderId = insertOrder(store, { eventId, customerId, number: '=1001', total: 1250 });
    const entry = (values: Parameters<typeof insertLedgerEntry>[1]) => {
      const id = insertLedgerEntry(store, values);
      store.run(sql.updateTable('ledger_entries').set({ event_id: eventId, device_id: 'box-office-1' }).where('id', '=', id));
    };
    // Inserted out of order on purpose: the file is in time order.
    entry({ customerId, kind: 'token', amount: -7, reason: 'bar', createdAt: '2026-07-10T14:00:00.000Z' });
    entry({ customerId, kind: 'credit', amount: 1250, reason: 'top-up', createdAt: '2026-07-10T10:00:00.000Z', orderId });
    entry({ customerId, kind: 'token', amount: 5, reason: '@bonus', createdAt: '2026-07-10T11:00:00.000Z' });
    entry({ customerId, kind: 'credit', amount: -300, reason: '=HYPERLINK("http://x","y")', createdAt: '2026-07-10T12:00:00.000Z' });
    entry({ customerId, kind: 'virtual_credit', amount: 1000, reason: '-promo', createdAt: '2026-07-10T12:30:00.000Z' });
    entry({ customerId, kind: 'credit', amount: -2000, reason: '\tcorrection', createdAt: '2026-07-10T15:00:00.000Z' });
    entry({ customerId, kind: 'credit', amount: 5, reason: '+refund', createdAt: '2026-07-10T16:00:00.000Z' });

    const result = await core.invoke('export.creditHistoryCsv', { customerId });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.fileName).toBe('credit-history-soren-nunez.csv');
    expect(result.value.csv.startsWith('\uFEFFDate (UTC),')).toBe(true);
    expect(readCsv(result.value.csv)).toEqual([
      ['Date (UTC)', 'Kind', 'Amount', 'Unit', 'Balance after', 'Reason', 'Order number', 'Device'],
      ['2026-07-10 10:00:00', 'Credit', '12.50', 'EUR', '12.50', 'top-up', "'=1001", 'box-office-1'],
      ['2026-07-10 11:00:00', 'Token', '5', 'tokens', '5', "'@bonus", '', 'box-office-1'],
      ['2026-07-10 12:00:00', 'Credit', '-3.00', 'EUR', '9.50', '\'=HYPERLINK("http://x","y")', '', 'box-office-1'],
      ['2026-07-10 12:30:00', 'Virtual credit', '10.00', 'EUR', '10.00', "'-promo", '', 'box-office-1'],
      ['2026-07-10 14:00:00', 'Token', '-7', 'tokens', '-2', 'bar', '', 'box-office-1'],
      ['2026-07-10 15:00:00', 'Credit', '-20.00', 'EUR', '-10.50', "'\tcorrection", '', 'box-office-1'],
      ['2026-07-10 16:00:00', 'Credit', '0.05', 'EUR', '-10.45', "'+refund", '', 'box-office-1'],
    ]);
  });

  it("prints money in the event's currency with that currency's decimals", async () => {
    const { store, core } = createTestCore();
    insertEvent(store, { currency: 'JPY' });
    const customerId = insertTestCustomer(store, { email: 'kenji@example.com' });
    // No event on the entry: the data folder's event gives the currency.
    insertLedgerEntry(store, { customerId, kind: 'credit', amount: 1500, createdAt: '2026-07-10T10:00:00.000Z' });
    const result = await core.invoke('export.creditHistoryCsv', { customerId });
    if (!result.ok) throw new Error(result.error.message);
    expect(readCsv(result.value.csv)[1]).toEqual(['2026-07-10 10:00:00', 'Credit', '1500', 'JPY', '1500', 'top-up', '', 'test-device']);
    expect(result.value.fileName).toBe(`credit-history-${customerId}.csv`);
  });

  it('writes only the header for a customer without ledger entries', async () => {
    const { store, core } = createTestCore();
    const customerId = insertTestCustomer(store, { email: 'a@example.com' });
    const result = await core.invoke('export.creditHistoryCsv', { customerId });
    expect(result.ok && readCsv(result.value.csv)).toEqual([
      ['Date (UTC)', 'Kind', 'Amount', 'Unit', 'Balance after', 'Reason', 'Order number', 'Device'],
    ]);
  });

  it('answers NOT_FOUND on customerId for an unknown customer and writes nothing', async () => {
    const { store, core } = createTestCore();
    insertEvent(store);
    const before = snapshot(store);
    const result = await core.invoke('export.creditHistoryCsv', { customerId: 'nobody' });
    expect(result).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'This customer is not on this terminal', field: 'customerId' } });
    expect(snapshot(store)).toEqual(before);
  });
});
