import { Worker } from 'node:worker_threads';
import type { CoreJobs } from '../../core/api/core.ts';
import type { CoreEvent } from '../../core/api/pubsub.ts';
import type { ImportCustomersInput, ImportCustomersResult } from '../../core/import/import.contract.ts';
import { resolveImportSource } from '../../core/csv/import-uploads.ts';
import { conflict, DomainError } from '../../core/errors.ts';
import type { Result } from '../../core/result.ts';

/** What the host hands the import worker (structured-cloned into the thread). */
export interface ImportJobRequest {
  /** The store file the host has open; the worker opens its own connection to it. */
  storeFile: string;
  operator: string | null;
  input: ImportCustomersInput;
}

/** What the worker sends back: progress events as they happen, then one result (or a crash). */
export type ImportWorkerMessage =
  | { type: 'event'; event: CoreEvent }
  | { type: 'result'; result: Result<ImportCustomersResult> }
  /** An unexpected error (a bug): the host logs it and the caller gets INTERNAL. */
  | { type: 'crash'; message: string; stack: string | undefined };

export interface ImportJobs {
  jobs: CoreJobs;
  /** Stops running imports (their current batch is rolled back; batches already committed stay). */
  close(): Promise<void>;
}

/**
 * From the sources Node runs the worker's .ts directly; bundled into out/electron/main.js, it is
 * built next to it as import-worker.js (build/build-electron.ts). The name is a variable so the
 * bundler leaves this URL alone.
 */
function defaultWorkerUrl(): URL {
  const file = import.meta.url.endsWith('.ts') ? './import-worker.ts' : './import-worker.js';
  return new URL(file, import.meta.url);
}

/**
 * Runs import.customers in a worker thread (DESIGN.md section 5) with its own connection to the
 * store, so a 100,000-row file neither blocks the host's event loop nor its other operations
 * between batches. The worker's progress events reach the host core's subscribers; its domain
 * errors come back as the same DomainError the in-process import throws.
 */
export function createImportJobs(options: { storeFile: string; workerUrl?: URL }): ImportJobs {
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const running = new Set<Worker>();
  let closing = false;
  /** An import has started and not answered yet (its worker may still be closing its connection). */
  let importing = false;

  const importCustomers: NonNullable<CoreJobs['import.customers']> = (context, input) =>
    new Promise<ImportCustomersResult>((resolve, reject) => {
      if (closing) {
        reject(new DomainError('UNAVAILABLE', 'Box Office is closing: the import was not started'));
        return;
      }
      // One import (or dry run) at a time per store: each holds a worker, its own connection and
      // the write lock for a batch at a time, and two imports of one list would race on its rows.
      if (importing) {
        reject(conflict('An import is already running: wait for it to finish, then start this one'));
        return;
      }
      let request: ImportJobRequest;
      try {
        // The worker has its own connection and none of this host's uploads: it gets the text.
        request = { storeFile: options.storeFile, operator: context.operator, input: { ...input, source: resolveImportSource(context.store, input.source) } };
      } catch (error) {
        reject(error as Error);
        return;
      }
      const worker = new Worker(workerUrl, { workerData: request });
      running.add(worker);
      importing = true;
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        importing = false;
        finish();
      };
      worker.on('message', (message: ImportWorkerMessage) => {
        if (message.type === 'event') {
          context.emit(message.event);
        } else if (message.type === 'result') {
          const { result } = message;
          settle(() => (result.ok ? resolve(result.value) : reject(new DomainError(result.error.code, result.error.message, result.error.field))));
        } else {
          const error = new Error(message.message);
          if (message.stack) error.stack = message.stack;
          settle(() => reject(error));
        }
      });
      worker.on('error', (error) => settle(() => reject(error)));
      worker.on('exit', (code) => {
        running.delete(worker);
        settle(() =>
          reject(
            closing
              ? new DomainError('UNAVAILABLE', 'Box Office closed during the import: the batches saved before it stay, the rest was not imported')
              : new Error(`The import worker stopped with exit code ${code} before it answered`),
          ),
        );
      });
    });

  return {
    jobs: { 'import.customers': importCustomers },
    async close() {
      closing = true;
      await Promise.all([...running].map((worker) => worker.terminate()));
    },
  };
}
