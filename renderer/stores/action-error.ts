import { fieldLabel } from '../../core/validation.ts';
import type { ApiError, ErrorCode } from '../api/operations.ts';

/** An error from the host, kept where the user acted (a field, a dialog, a toggle). */
export interface ActionError {
  code: ErrorCode;
  message: string;
  /** Dotted input path the host blamed (`email`, `references.2`), when it named one. */
  field?: string;
}

export function actionError(error: ApiError): ActionError {
  return error.field === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, field: error.field };
}

/**
 * The host prefixes validation messages with the field's name in words (`E-mail address: Invalid
 * email address`, core/validation.ts); under the field itself that prefix only repeats the label,
 * so it is dropped there. (Older hosts prefixed the dotted path: dropped too.)
 */
export function messageUnderField(error: ActionError): string {
  if (!error.field) return error.message;
  const path = error.field.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  for (const prefix of [`${fieldLabel(path).label}: `, `${error.field}: `]) {
    if (error.message.startsWith(prefix)) return error.message.slice(prefix.length);
  }
  return error.message;
}

/** The error for one form field: its own, or (for `references.2`) one inside it. */
export function errorForField(error: ActionError | undefined, field: string): string | undefined {
  if (!error?.field) return undefined;
  if (error.field === field || error.field.startsWith(`${field}.`)) return messageUnderField(error);
  return undefined;
}

/** An error that names no field of the form it came from: shown at the form's top. */
export function errorOutsideFields(error: ActionError | undefined, fields: readonly string[]): string | undefined {
  if (!error) return undefined;
  if (error.field && fields.some((field) => error.field === field || error.field?.startsWith(`${field}.`))) return undefined;
  return error.message;
}
