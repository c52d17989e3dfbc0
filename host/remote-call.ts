import { z } from 'zod';
import type { CoreSession } from '../core/api/core.ts';
import { failure, type Result } from '../core/result.ts';

/**
 * What a renderer may send across a process boundary (Electron IPC or the web host's WebSocket):
 * one request shape, checked with zod before anything else looks at it. The operation's own input
 * is then validated by the core against the API contract.
 */
export const remoteRequestSchema = z
  .object({
    id: z.union([z.number().int().nonnegative(), z.string().max(64)]),
    op: z.string().min(1).max(100),
    input: z.unknown(),
  })
  .strict();

export type RemoteRequest = z.infer<typeof remoteRequestSchema>;

/**
 * Calls a renderer may not make even with valid input: the renderer is untrusted with respect to
 * the file system, so it sends a file's contents, never a path for the host to open.
 */
export function refuseRemoteCall(op: string, input: unknown): Result<never> | undefined {
  if (op === 'import.customers' && typeof input === 'object' && input !== null) {
    const source = (input as { source?: unknown }).source;
    if (typeof source === 'object' && source !== null && 'path' in source) {
      return failure({
        code: 'FORBIDDEN',
        message: 'File paths are not accepted from the user interface; send the file contents instead',
        field: 'source',
      });
    }
  }
  return undefined;
}

/** Validates and runs one remote call in the caller's session (its window or connection); never throws. */
export async function invokeRemote(core: Pick<CoreSession, 'invokeUnknown'>, op: unknown, input: unknown): Promise<Result<unknown>> {
  if (typeof op !== 'string') return failure({ code: 'VALIDATION', message: 'Operation name must be a string', field: 'op' });
  return refuseRemoteCall(op, input) ?? core.invokeUnknown(op, input);
}
