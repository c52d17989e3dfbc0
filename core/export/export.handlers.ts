import type { HandlerMap } from '../api/handlers.ts';
import { exportCreditHistoryCsv } from '../csv/export-credit-history.ts';
import { exportCustomerCsv } from '../csv/export-customer.ts';
import type { exportOperations } from './export.contract.ts';

export const exportHandlers: HandlerMap<typeof exportOperations> = {
  'export.customerCsv': (context, input) => exportCustomerCsv(context.store, input.customerId),
  'export.creditHistoryCsv': (context, input) => exportCreditHistoryCsv(context.store, input.customerId),
};
