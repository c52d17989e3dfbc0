import type { ErrorResponse } from '../../sync/protocol.ts';

/** An error a route answers with a status other than its domain code's (401, 413, 426, 429). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function errorBody(code: string, message: string, field?: string): ErrorResponse {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}
