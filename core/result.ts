import type { ApiError } from './errors.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const failure = <T = never>(error: ApiError): Result<T> => ({ ok: false, error });
