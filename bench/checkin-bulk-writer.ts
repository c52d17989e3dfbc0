// Worker thread of bench/checkin.bench.ts: another connection on the same store file writing
// `rows` scans in transactions of `batch` (the sync worker's future load: scans pulled from other
// gates), pausing 1 ms between transactions. Posts 'ready' once open, then { done, rows, seconds } when finished.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connection.ts';

const { file, eventId, rows, batch } = workerData as { file: string; eventId: string; rows: number; batch: number };
const db = openDatabase(file, { migrate: false });
const insert = db.prepare(
  `INSERT INTO scans (id, event_id, code, ticket_id, tag_id, gate_id, direction, verdict, reason, device_id, operator, scanned_at)
   VALUES (?, ?, ?, NULL, NULL, NULL, 'entry', 'rejected', 'unknown', 'bulk-writer', NULL, ?)`,
);
const writeBatch = db.transaction((from: number) => {
  for (let n = from; n < from + batch; n++) insert.run(`bulk-${n}`, eventId, `BULK-${n}`, new Date(Date.UTC(2026, 6, 11, 12) + n).toISOString());
});

parentPort!.once('message', async () => {
  const started = performance.now();
  for (let from = 0; from < rows; from += batch) {
    writeBatch(from);
    // Between batches a sync worker waits for the network; 1 ms here lets a waiting gate in.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  db.close();
  parentPort!.postMessage({ done: true, rows, seconds: (performance.now() - started) / 1000 });
});
parentPort!.postMessage('ready');
