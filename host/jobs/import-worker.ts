// The import worker thread (started by import-job.ts): runs core's importCustomers against its own
// connection to the store file, posting progress events and then its result to the host.
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../../core/clock.ts';
import { importCustomers } from '../../core/csv/import-customers.ts';
import { DomainError } from '../../core/errors.ts';
import { openDatabase } from '../../db/connection.ts';
import { Store } from '../../db/store.ts';
import type { ImportJobRequest, ImportWorkerMessage } from './import-job.ts';

async function runImport(port: NonNullable<typeof parentPort>, request: ImportJobRequest): Promise<void> {
  const post = (message: ImportWorkerMessage) => port.postMessage(message);
  let store: Store | undefined;
  try {
    store = new Store(openDatabase(request.storeFile));
    const value = await importCustomers(
      { store, clock: systemClock, operator: request.operator, emit: (event) => post({ type: 'event', event }) },
      request.input,
    );
    post({ type: 'result', result: { ok: true, value } });
  } catch (error) {
    if (error instanceof DomainError) post({ type: 'result', result: { ok: false, error: error.toApiError() } });
    else post({ type: 'crash', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
  } finally {
    // The import let the WAL grow (core/csv/import-customers.ts). The result may go first: every
    // batch was already synced to the WAL at its commit (synchronous=FULL, import-batch.ts), so
    // this checkpoint only spares some later scan's commit the copy; it adds nothing to durability.
    try {
      store?.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy: the host's background checkpointer or the next commit will do it.
    }
    store?.close();
  }
}

if (!parentPort) throw new Error('import-worker.ts runs only as a worker thread started by import-job.ts');
await runImport(parentPort, workerData as ImportJobRequest);
