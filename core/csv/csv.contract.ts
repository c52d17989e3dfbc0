// What core/csv's import modules take from the import.* contract, until they import it from
// core/import/import.contract.ts themselves (they were being edited on another branch when the
// contract moved). Defines no operation: import.* is in core/import, export.* in core/export.
export {
  importCustomersInputSchema,
  importPreviewInputSchema,
  type ImportCustomersInput,
  type ImportCustomersResult,
  type ImportPreview,
  type ImportPreviewInput,
  type ImportRejection,
  type ImportSource,
} from '../import/import.contract.ts';
