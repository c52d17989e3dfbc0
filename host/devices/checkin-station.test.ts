import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../core/api/pubsub.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { steppingClock } from '../../test/fixtures/store.ts';
import { createHost, type Host } from '../host.ts';
import { seedSyntheticEvent } from '../seed/synthetic-event.ts';

let dir: string;
let host: Host;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'box-office-checkin-station-'));
  host = createHost({ dataDir: dir, clock: steppingClock('2026-07-11T10:00:00.000Z', 1000), logLevel: 'silent' });
  seedSyntheticEvent(host.store, { customers: 30, tickets: 40, tags: 20, seed: 5 });
});
afterEach(() => {
  host.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A simulated reader running in the host, and a fresh active wristband, with no renderer connected. */
async function readerAndTag() {
  const reader = expectOk(await host.core.invoke('readers.add', { name: 'Gate reader', driver: 'simulated' }));
  await host.devices.startReaders();
  const tag = host.store.db
    .prepare('SELECT uid FROM tags WHERE active = 1 AND banned = 0 AND entry_count = 0 AND NOT EXISTS (SELECT 1 FROM scans WHERE scans.tag_id = tags.id) LIMIT 1')
    .get() as { uid: string };
  const gate = expectOk(await host.core.invoke('gates.list', {})).gates[0]!;
  return { readerId: reader.id, uid: tag.uid, gate };
}

const scansOf = (code: string) =>
  host.store.db.prepare('SELECT id, gate_id AS gateId, direction, verdict, reason FROM scans WHERE code = ?').all(code) as {
    id: string;
    gateId: string | null;
    direction: string;
    verdict: string;
    reason: string;
  }[];

describe('the check-in station decides reader scans in the host', () => {
  it('records a presentation with its verdict while in check-in mode, with no screen connected, and publishes the verdict', async () => {
    const { readerId, uid, gate } = await readerAndTag();
    expectOk(await host.core.invoke('station.setCheckinMode', { active: true, gateId: gate.id, direction: 'entry' }));
    const events: CoreEvent[] = [];
    host.core.subscribe((event) => events.push(event));

    expectOk(await host.core.invoke('readers.simulate', { readerId, action: { type: 'presentTag', uid } }));

    const scans = scansOf(uid);
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ gateId: gate.id, direction: 'entry', verdict: 'admitted', reason: 'admitted' });
    const verdicts = events.flatMap((event) => (event.type === 'checkin.verdict' ? [event.verdict] : []));
    expect(verdicts).toMatchObject([{ scanId: scans[0]!.id, verdict: 'admitted', gate: { id: gate.id } }]);
    // A screen that connects now shows it.
    expect(expectOk(await host.core.invoke('checkin.latestVerdict', {})).verdict?.scanId).toBe(scans[0]!.id);
  });

  it("records barcodes too, in the mode's direction", async () => {
    const { readerId, gate } = await readerAndTag();
    expectOk(await host.core.invoke('station.setCheckinMode', { active: true, gateId: gate.id, direction: 'exit' }));
    expectOk(await host.core.invoke('readers.simulate', { readerId, action: { type: 'scanBarcode', text: 'NO-SUCH-TICKET-7' } }));
    expect(scansOf('NO-SUCH-TICKET-7')).toMatchObject([{ direction: 'exit', verdict: 'rejected', reason: 'unknown' }]);
  });

  it('leaves reader events to the screens when the station is not in check-in mode', async () => {
    const { readerId, uid, gate } = await readerAndTag();
    expectOk(await host.core.invoke('station.setCheckinMode', { active: true, gateId: gate.id, direction: 'entry' }));
    expectOk(await host.core.invoke('station.setCheckinMode', { active: false, gateId: null, direction: 'entry' }));
    expectOk(await host.core.invoke('readers.simulate', { readerId, action: { type: 'presentTag', uid } }));
    expect(scansOf(uid)).toEqual([]);
  });
});
