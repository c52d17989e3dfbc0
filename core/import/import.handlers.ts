import type { HandlerMap } from '../api/handlers.ts';
import { importCustomers } from '../csv/import-customers.ts';
import { previewImport } from '../csv/import-preview.ts';
import { appendUploadChunk } from '../csv/import-uploads.ts';
import type { importOperations } from './import.contract.ts';

export const importHandlers: HandlerMap<typeof importOperations> = {
  'import.customers': (context, input) => importCustomers(context, input),
  'import.upload': (context, input) => appendUploadChunk(context.store, input),
  'import.preview': (context, input) => previewImport(context.store, input),
};
