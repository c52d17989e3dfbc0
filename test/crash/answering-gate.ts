// A gate app's process for the answered-scans crash test (test/crash/answered-scans.crash.test.ts), run by Node directly.
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createHost } from '../../host/host.ts';
import type { WriterOrder, WriterSetup } from '../fixtures/write-turn-writer.ts';

/**
 * A gate's host on the data folder whose write turn a background thread takes and keeps, as a sync
 * worker inside a long transaction does (test/fixtures/write-turn-writer.ts, with a store of its
 * own counted as the worker's). The host answers each code's scan first (core/checkin/answered-scans.ts)
 * and cannot record any while the turn is kept: it prints the verdicts as one JSON line, then
 * waits to be killed.
 */

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, gate: { type: 'string' }, codes: { type: 'string' } } });
const host = createHost({ dataDir: values['data-dir']!, caller: { name: 'Gate steward', role: 'steward' }, logLevel: 'silent' });
const turns = host.store.writeTurns!;
const release = new SharedArrayBuffer(4);
const setup: WriterSetup = { turns: turns.buffer, writer: 'background', name: 0, release, log: new SharedArrayBuffer(64 * 4) };
const worker = new Worker(new URL('../fixtures/write-turn-writer.ts', import.meta.url), { workerData: setup });
await new Promise<void>((resolve) => {
  worker.once('message', () => resolve());
  worker.postMessage({ type: 'keep' } satisfies WriterOrder);
});
// As the sync worker's store does when it opens on the turn (Store.shareWriteTurns).
turns.joinedByBackground();

const verdicts = [];
for (const code of values.codes!.split(',')) {
  const result = await host.core.invoke('checkin.scan', { code, gateId: values.gate! });
  if (!result.ok) throw new Error(result.error.message);
  verdicts.push({ scanId: result.value.scanId, reason: result.value.reason });
}
writeSync(1, `${JSON.stringify({ verdicts })}\n`);
setInterval(() => {}, 60_000);
