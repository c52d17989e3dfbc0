import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { Store, sql } from '../../db/store.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';

let folder: string | undefined;
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

function startWorker(file: string, codes: string[], gateId: string) {
  const worker = new Worker(new URL('../../test/fixtures/checkin-scan-worker.ts', import.meta.url), { workerData: { file, codes, gateId } });
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const done = ready.then(
    () =>
      new Promise<{ reasons: string[]; errors: string[] }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
  );
  return { worker, ready, done };
}

describe('checkin.scan across connections', () => {
  it('two gate processes on one store file never both admit a ticket, and neither fails', async () => {
    folder = mkdtempSync(join(tmpdir(), 'box-office-checkin-race-'));
    const file = join(folder, 'store.sqlite');
    const { store, ticket, gates } = checkinSetup({ file });
    const codes = Array.from({ length: 150 }, () => ticket().reference);
    store.close();

    const workers = [startWorker(file, codes, gates.main), startWorker(file, [...codes], gates.vip)];
    await Promise.all(workers.map((worker) => worker.ready));
    for (const { worker } of workers) worker.postMessage('start');
    const results = await Promise.all(workers.map((worker) => worker.done));
    await Promise.all(workers.map(({ worker }) => worker.terminate()));

    expect(results.flatMap((result) => result.errors)).toEqual([]);
    const reasons = results.flatMap((result) => result.reasons);
    expect(reasons.filter((reason) => reason === 'admitted')).toHaveLength(codes.length);
    expect(reasons.filter((reason) => reason === 'already_inside')).toHaveLength(codes.length);

    const check = new Store(openDatabase(file));
    const admissions = check.all(
      sql.selectFrom('scans').select(['ticket_id', (eb) => eb.fn.countAll<number>().as('count')]).where('verdict', '=', 'admitted').groupBy('ticket_id'),
    );
    expect(admissions).toHaveLength(codes.length);
    expect(admissions.every((row) => row.count === 1)).toBe(true);
    expect(check.first(sql.selectFrom('tickets').select((eb) => eb.fn.sum<number>('entry_count').as('entries')))!.entries).toBe(codes.length);
    check.close();
  });
});
