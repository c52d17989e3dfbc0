import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answeredScansSuffix } from '../../core/checkin/answered-scans.ts';
import { deviceId } from '../../core/terminal/state.ts';
import { sql } from '../../db/store.ts';
import { storeFile } from '../../host/data-dir.ts';
import { createHost } from '../../host/host.ts';
import { checkinSetup } from '../fixtures/checkin.ts';
import { answeringGateProcess, removeLeftovers, runningProcesses, scratchFolder } from './processes.ts';

/**
 * "Never loses a scan" for scans answered first (core/checkin/answered-scans.ts), with a real
 * process: a gate app whose write turn a background thread keeps (a sync worker inside a long
 * transaction) answers scans it cannot record yet, and is killed with SIGKILL. The next start of
 * a host on its data folder records each of them once, as it was answered.
 */

afterEach(async () => {
  runningProcesses.killAll();
  await removeLeftovers();
});

const verdictsLine = z.object({ verdicts: z.array(z.object({ scanId: z.string(), reason: z.string() })) });

describe('scans answered first, the gate killed before recording them', () => {
  it('are recorded by the next start, each once, as they were answered', { timeout: 60_000 }, async () => {
    const dataDir = scratchFolder('answering-gate');
    const { store, ticket, types, gates } = checkinSetup({ file: storeFile(dataDir) });
    const once = ticket(types.once);
    const codes = [ticket().reference, once.reference, ticket().reference, 'NOT-A-TICKET'];
    deviceId(store);
    store.close();

    const gate = answeringGateProcess(dataDir, gates.main, codes);
    const { verdicts } = verdictsLine.parse(JSON.parse(await gate.untilLine((line) => line.startsWith('{"verdicts"'))));
    expect(verdicts.map((verdict) => verdict.reason)).toEqual(['admitted', 'admitted', 'admitted', 'unknown']);
    gate.kill('SIGKILL');
    expect((await gate.exited).signal).toBe('SIGKILL');
    expect(readFileSync(storeFile(dataDir) + answeredScansSuffix, 'utf8').split('\n').filter(Boolean)).toHaveLength(codes.length);

    const host = createHost({ dataDir, caller: { name: 'Ada', role: 'admin' }, logLevel: 'silent' });
    const scans = host.store.all(sql.selectFrom('scans').select(['id', 'code', 'reason', 'operator']).orderBy('scanned_at').orderBy('id'));
    expect(scans).toEqual(verdicts.map((verdict, index) => ({ id: verdict.scanId, code: codes[index], reason: verdict.reason, operator: 'Gate steward' })));
    const outbox = host.store.all(sql.selectFrom('outbox').select(['seq', 'args']).orderBy('seq'));
    expect(outbox.map((row) => [row.seq, (JSON.parse(row.args) as { scanId: string }).scanId])).toEqual(verdicts.map((verdict, index) => [index + 1, verdict.scanId]));
    expect(host.store.first(sql.selectFrom('tickets').select('entry_count').where('id', '=', once.id))!.entry_count).toBe(1);
    host.close();
    expect(readFileSync(storeFile(dataDir) + answeredScansSuffix, 'utf8')).toBe('');

    // A second start finds nothing left: nothing is recorded twice.
    const again = createHost({ dataDir, caller: { name: 'Ada', role: 'admin' }, logLevel: 'silent' });
    expect(again.store.all(sql.selectFrom('scans').select('id'))).toHaveLength(codes.length);
    again.close();
    expect(existsSync(storeFile(dataDir) + answeredScansSuffix)).toBe(true);
  });
});
