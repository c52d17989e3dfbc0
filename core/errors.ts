/**
 * Typed domain errors. Core throws them; the API boundary (core/api/core.ts) turns them into
 * `{ ok: false, error }` once, so no stack trace ever crosses a host boundary.
 */
export const errorCodes = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNAVAILABLE', 'INTERNAL'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** The input field (dotted path) the error is about, when there is one. */
  field?: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = field;
  }

  toApiError(): ApiError {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export const invalid = (message: string, field?: string) => new DomainError('VALIDATION', message, field);
export const notFound = (message: string, field?: string) => new DomainError('NOT_FOUND', message, field);
export const conflict = (message: string, field?: string) => new DomainError('CONFLICT', message, field);
