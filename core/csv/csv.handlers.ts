import type { HandlerMap } from '../api/handlers.ts';
import type { csvOperations } from './csv.contract.ts';
import { exportCreditHistoryCsv } from './export-credit-history.ts';
import { exportCustomerCsv } from './export-customer.ts';
import { importCustomers } from './import-customers.ts';
import { previewImport } from './import-preview.ts';
import { appendUploadChunk } from './import-uploads.ts';

export const csvHandlers: HandlerMap<typeof csvOperations> = {
  'export.customerCsv': (context, input) => exportCustomerCsv(context.store, input.customerId),
  'export.creditHistoryCsv': (context, input) => exportCreditHistoryCsv(context.store, input.customerId),
  'import.customers': (context, input) => importCustomers(context, input),
  'import.upload': (context, input) => appendUploadChunk(context.store, input),
  'import.preview': (context, input) => previewImport(context.store, input),
};
