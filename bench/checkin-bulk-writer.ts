// Worker thread of bench/checkin.bench.ts: another connection on the same store file that writes
// `rows` scans in transactions of `batch` (the sync worker's future load: scans pulled from other
// gates), pausing 1 ms between transactions. Posts 'ready' once open, then a summary when finished.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connection.ts';

const { file, eventId, rows, batch } = workerData as { file: string; eventId: string; rows: number; batch: number };
const db = openDatabase(file, { migrate: false });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function bulk() {
  const insert = db.prepare(
    `INSERT INTO scans (id, event_id, code, ticket_id, tag_id, gate_id, direction, verdict, reason, device_id, operator, scanned_at)
     VALUES (?, ?, ?, NULL, NULL, NULL, 'entry', 'rejected', 'unknown', 'bulk-writer', NULL, ?)`,
  );
  const prefix = `bulk-${process.hrtime.bigint()}`;
  const writeBatch = db.transaction((from: number) => {
    for (let n = from; n < Math.min(rows, from + batch); n++) insert.run(`${prefix}-${n}`, eventId, `BULK-${n}`, new Date(Date.UTC(2026, 6, 11, 12) + n).toISOString());
  });
  const started = performance.now();
  let holdMs = 0;
  for (let from = 0; from < rows; from += batch) {
    const began = performance.now();
    writeBatch(from);
    holdMs += performance.now() - began;
    // Between batches a sync worker waits for the network; 1 ms here lets a waiting gate in.
    await pause(1);
  }
  return { rows, seconds: (performance.now() - started) / 1000, transactionMs: holdMs / Math.ceil(rows / batch) };
}

parentPort!.once('message', async () => {
  const summary = await bulk();
  db.close();
  parentPort!.postMessage({ done: true, ...summary });
});
parentPort!.postMessage('ready');
