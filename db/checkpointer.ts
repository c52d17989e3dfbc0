import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './connection.ts';

/**
 * Moves WAL checkpoints off the writer. SQLite's automatic checkpoint runs inside whichever commit
 * crosses the threshold, and its fsyncs made that one scan take ~6 ms instead of ~0.2 ms (the
 * check-in benchmark's p99). A worker thread with its own connection checkpoints every
 * `intervalMs` instead; the writer keeps a high autocheckpoint threshold only as a safety net in
 * case the worker is gone.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

/** Writer-side threshold while the checkpointer runs: ~40 MB of WAL. */
export const safetyNetCheckpointPages = 10_000;

function workerUrl(): URL {
  // Next to this module in development (.ts) and next to the bundled main.js in Electron (.js).
  return new URL(import.meta.url.endsWith('.ts') ? './checkpoint-worker.ts' : './checkpoint-worker.js', import.meta.url);
}

export function startCheckpointer(db: SqliteDatabase, options: { intervalMs?: number } = {}): Checkpointer {
  const file = db.name;
  const previousPages = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${Math.max(previousPages, safetyNetCheckpointPages)}`);
  const worker = new Worker(workerUrl(), { workerData: { file, intervalMs: options.intervalMs ?? 250 } });
  // A failed worker only costs the writer its fast commits: go back to checkpointing in-line.
  worker.on('error', () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${previousPages}`);
  });
  worker.unref();
  return {
    async stop() {
      const exited = once(worker, 'exit');
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      await worker.terminate();
      if (db.open) db.pragma(`wal_autocheckpoint = ${previousPages}`);
    },
  };
}
