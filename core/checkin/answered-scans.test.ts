import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { sql, Store } from '../../db/store.ts';
import { WriteTurns } from '../../db/write-turns.ts';
import { checkinSetup, ticketPresence } from '../../test/fixtures/checkin.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { steppingClock } from '../../test/fixtures/store.ts';
import { createCore } from '../api/core.ts';
import { deviceId } from '../terminal/state.ts';
import { AnsweredScans, answeredScansSuffix } from './answered-scans.ts';

/**
 * Scans answered before they are recorded, on a store that takes write turns (answered-scans.ts).
 * The sync worker is stood in for by its mark in the turn's holder slot, which the test sets and
 * clears as a worker thread's take() and give() do; no test waits for time.
 */

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A gate's store file with a festival and three weekend tickets (and one of a single entry). */
function gateFile() {
  const folder = mkdtempSync(join(tmpdir(), 'box-office-answered-scans-'));
  folders.push(folder);
  const file = join(folder, 'store.sqlite');
  const { store, ticket, types, gates } = checkinSetup({ file });
  const tickets = [ticket(), ticket(), ticket(types.once)];
  deviceId(store);
  store.close();
  return { file, tickets, gates };
}

/** The gate app on that file: a store sharing write turns as the main thread, and its core. */
function openGate(file: string, options: { waitLimitMs?: number; withoutTurns?: boolean } = {}) {
  const store = new Store(openDatabase(file));
  const turns = new WriteTurns(undefined, { waitLimitMs: options.waitLimitMs ?? 1000 });
  if (!options.withoutTurns) {
    store.shareWriteTurns(turns, 'foreground');
    // The sync worker's store, on its thread, takes the same turn.
    turns.joinedByBackground();
  }
  const clock = steppingClock('2026-07-11T10:00:00.000Z');
  const core = createCore({ store, clock, caller: { name: 'Gate steward', role: 'supervisor' } });
  const slots = new Int32Array(turns.buffer);
  return {
    store,
    core,
    clock,
    /** The sync worker takes the turn (a first load's transaction begins). */
    syncHolds: () => expect(Atomics.compareExchange(slots, 0, 0, 99)).toBe(0),
    /** The sync worker gives it back. */
    syncGives: () => {
      Atomics.store(slots, 0, 0);
      Atomics.notify(slots, 0);
    },
    answered: () => AnsweredScans.of(core.context),
  };
}

const scanRows = (store: Store) =>
  store.all(sql.selectFrom('scans').select(['id', 'code', 'verdict', 'reason', 'scanned_at', 'operator']).orderBy('scanned_at').orderBy('id'));
const outboxRows = (store: Store) =>
  store.all(sql.selectFrom('outbox').select(['seq', 'name', 'args', 'operator']).orderBy('seq')).map((row) => ({ ...row, args: JSON.parse(row.args) as Record<string, unknown> }));
const fileLines = (file: string) => (existsSync(file + answeredScansSuffix) ? readFileSync(file + answeredScansSuffix, 'utf8').split('\n').filter(Boolean) : []);

describe('a scan while the sync worker holds the write turn', () => {
  it('is answered at once, kept in the file, and recorded as the fact it is once the turn is free', async () => {
    const { file, tickets, gates } = gateFile();
    const gate = openGate(file);
    gate.syncHolds();
    const verdict = expectOk(await gate.core.invoke('checkin.scan', { code: tickets[0]!.reference, gateId: gates.main }));

    expect(verdict).toMatchObject({ verdict: 'admitted', reason: 'admitted', entries: 1, ticket: { reference: tickets[0]!.reference } });
    // Answered, not yet written: the worker's transaction is under way.
    expect(scanRows(gate.store)).toEqual([]);
    expect(outboxRows(gate.store)).toEqual([]);
    expect(fileLines(file)).toHaveLength(1);

    gate.syncGives();
    await gate.answered().recorded();
    expect(scanRows(gate.store)).toEqual([
      { id: verdict.scanId, code: tickets[0]!.reference, verdict: 'admitted', reason: 'admitted', scanned_at: verdict.at, operator: 'Gate steward' },
    ]);
    expect(ticketPresence(gate.store, tickets[0]!.id)).toMatchObject({ entry_count: 1, inside_gate_id: gates.main, first_scan_at: verdict.at });
    expect(outboxRows(gate.store)).toEqual([
      {
        seq: 1,
        name: 'checkin.scan',
        operator: 'Gate steward',
        args: expect.objectContaining({ scanId: verdict.scanId, code: tickets[0]!.reference, verdict: 'admitted', reason: 'admitted', warning: null, at: verdict.at }),
      },
    ]);
    expect(fileLines(file)).toEqual([]);
    gate.store.close();
  });

  it('records the same rows as a scan decided and recorded at once (a store without write turns, the CLI)', async () => {
    const scanTwice = async (whileSyncing: boolean) => {
      const { file, tickets, gates } = gateFile();
      const gate = openGate(file, { withoutTurns: !whileSyncing });
      const verdicts = [];
      let second = 0;
      for (const code of [tickets[0]!.reference, tickets[1]!.reference, tickets[2]!.reference, 'NOT-A-TICKET']) {
        // One time per scan: the answered scan reads the clock when it is decided and again when it is recorded.
        const at = new Date(Date.parse('2026-07-11T10:00:00.000Z') + 1000 * second++).toISOString();
        gate.clock.set(at);
        if (whileSyncing) gate.syncHolds();
        verdicts.push(expectOk(await gate.core.invoke('checkin.scan', { code, gateId: gates.main })));
        gate.clock.set(at);
        if (whileSyncing) gate.syncGives();
        if (whileSyncing) await gate.answered().recorded();
      }
      const rows = { verdicts, scans: scanRows(gate.store), outbox: outboxRows(gate.store) };
      gate.store.close();
      // Each store has ids of its own (its event, gate, tickets and scans): compared without them.
      return JSON.parse(JSON.stringify(rows).replaceAll(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'id').replaceAll(/TCK-\d+/g, 'TCK')) as typeof rows;
    };
    const answered = await scanTwice(true);
    expect(answered.scans.map((row) => row.reason)).toEqual(['admitted', 'admitted', 'admitted', 'unknown']);
    expect(await scanTwice(false)).toEqual(answered);
  });

  it('of a ticket whose answered scan waits is not answered from the state before it: it waits for the turn and finds the ticket inside', async () => {
    const { file, tickets, gates } = gateFile();
    // The turn's wait limit stands in for the worker's transaction ending: the second scan then writes under SQLite's lock.
    const gate = openGate(file, { waitLimitMs: 20 });
    gate.syncHolds();
    const first = expectOk(await gate.core.invoke('checkin.scan', { code: tickets[2]!.reference, gateId: gates.main }));
    const other = expectOk(await gate.core.invoke('checkin.scan', { code: tickets[1]!.reference, gateId: gates.main }));
    expect([first.reason, other.reason]).toEqual(['admitted', 'admitted']);
    expect(scanRows(gate.store)).toEqual([]);

    const again = expectOk(await gate.core.invoke('checkin.scan', { code: tickets[2]!.reference, gateId: gates.main }));
    expect(again).toMatchObject({ verdict: 'rejected', reason: 'already_inside' });
    // The two answered scans were recorded first, in the order they were answered, then the third.
    expect(scanRows(gate.store).map((row) => [row.id, row.reason])).toEqual([
      [first.scanId, 'admitted'],
      [other.scanId, 'admitted'],
      [again.scanId, 'already_inside'],
    ]);
    expect(outboxRows(gate.store).map((row) => [row.seq, row.args.scanId])).toEqual([
      [1, first.scanId],
      [2, other.scanId],
      [3, again.scanId],
    ]);
    gate.syncGives();
    gate.store.close();
  });

  it('is recorded before a later command, and that command failing does not undo it', async () => {
    const { file, tickets, gates } = gateFile();
    const gate = openGate(file, { waitLimitMs: 20 });
    gate.syncHolds();
    const verdict = expectOk(await gate.core.invoke('checkin.scan', { code: tickets[0]!.reference, gateId: gates.main }));
    const undone = await gate.core.invoke('checkin.undo', { scanId: verdict.scanId });

    expect(undone.ok).toBe(true);
    expect(scanRows(gate.store).map((row) => row.id)).toEqual([verdict.scanId]);
    expect(ticketPresence(gate.store, tickets[0]!.id).entry_count).toBe(0);
    const refused = await gate.core.invoke('checkin.undo', { scanId: '0190a000-0000-7000-8000-000000000000' });
    expect(refused.ok).toBe(false);
    expect(scanRows(gate.store).map((row) => row.id)).toEqual([verdict.scanId]);
    expect(outboxRows(gate.store).map((row) => row.name)).toEqual(['checkin.scan', 'checkin.undo']);
    gate.syncGives();
    gate.store.close();
  });
});

describe('a scan while the turn is free', () => {
  it('is answered first too, and recorded right after', async () => {
    const { file, tickets, gates } = gateFile();
    const gate = openGate(file);
    const verdict = expectOk(await gate.core.invoke('checkin.scan', { code: tickets[0]!.reference, gateId: gates.main }));
    expect(verdict.reason).toBe('admitted');
    expect(scanRows(gate.store)).toEqual([]);

    await gate.answered().recorded();
    expect(scanRows(gate.store).map((row) => [row.id, row.reason])).toEqual([[verdict.scanId, 'admitted']]);
    expect(fileLines(file)).toEqual([]);
    const again = expectOk(await gate.core.invoke('checkin.scan', { code: tickets[0]!.reference, gateId: gates.main }));
    expect(again.reason).toBe('already_inside');
    gate.store.close();
  });

  it('is recorded at once by recordOwedWrites, as a host closing does', async () => {
    const { file, tickets, gates } = gateFile();
    const gate = openGate(file);
    const verdict = expectOk(await gate.core.invoke('checkin.scan', { code: tickets[0]!.reference, gateId: gates.main }));
    gate.store.recordOwedWrites();
    expect(scanRows(gate.store).map((row) => row.id)).toEqual([verdict.scanId]);
    await gate.answered().recorded();
    expect(scanRows(gate.store)).toHaveLength(1);
    gate.store.close();
  });
});

describe('scans a run answered and did not record', () => {
  /** A gate that answered two scans while the worker held the turn, then was killed before recording them. */
  async function killedGate() {
    const { file, tickets, gates } = gateFile();
    const gate = openGate(file, { waitLimitMs: 60_000 });
    gate.syncHolds();
    const verdicts = [
      expectOk(await gate.core.invoke('checkin.scan', { code: tickets[0]!.reference, gateId: gates.main })),
      expectOk(await gate.core.invoke('checkin.scan', { code: tickets[1]!.reference, gateId: gates.main })),
    ];
    // As a kill leaves it: the store's connection gone, the file as written.
    gate.store.db.close();
    gate.syncGives();
    return { file, verdicts, tickets, gates };
  }

  it('are recorded when the store is next opened, once, and the file emptied', async () => {
    const { file, verdicts } = await killedGate();
    expect(fileLines(file)).toHaveLength(2);

    const next = openGate(file);
    expect(next.answered().leftBehind).toEqual({ recorded: 2, failed: [] });
    expect(scanRows(next.store).map((row) => [row.id, row.reason, row.operator])).toEqual(verdicts.map((verdict) => [verdict.scanId, 'admitted', 'Gate steward']));
    expect(fileLines(file)).toEqual([]);
    next.store.close();

    const after = openGate(file);
    expect(after.answered().leftBehind).toEqual({ recorded: 0, failed: [] });
    expect(scanRows(after.store)).toHaveLength(2);
    after.store.close();
  });

  it('a scan that cannot be recorded stays in the file through later recordings, and the others are recorded', async () => {
    const { file, verdicts, tickets, gates } = await killedGate();
    const [first, second] = fileLines(file);
    const unrecordable = JSON.parse(first!) as { args: { eventId: string } };
    unrecordable.args.eventId = '0190a000-0000-7000-8000-00000000e7e7';
    writeFileSync(file + answeredScansSuffix, `${JSON.stringify(unrecordable)}\n${second}\n`);

    const next = openGate(file);
    expect(next.answered().leftBehind).toEqual({ recorded: 1, failed: [1] });
    expect(scanRows(next.store).map((row) => row.id)).toEqual([verdicts[1]!.scanId]);
    expect(fileLines(file).map((line) => JSON.parse(line) as unknown)).toEqual([unrecordable]);

    // A scan answered and recorded later leaves it there.
    next.syncHolds();
    const later = expectOk(await next.core.invoke('checkin.scan', { code: tickets[2]!.reference, gateId: gates.main }));
    expect(fileLines(file)).toHaveLength(2);
    next.syncGives();
    await next.answered().recorded();
    expect(scanRows(next.store).map((row) => row.id)).toEqual([verdicts[1]!.scanId, later.scanId]);
    expect(fileLines(file).map((line) => JSON.parse(line) as unknown)).toEqual([unrecordable]);
    next.store.close();
  });

  it('a line written twice (a kill after the commit, before the file was emptied) is recorded once; a line cut short is skipped', async () => {
    const { file, verdicts } = await killedGate();
    const [line] = fileLines(file);
    writeFileSync(file + answeredScansSuffix, `${line}\n${fileLines(file).join('\n')}\n`);
    appendFileSync(file + answeredScansSuffix, '{"operator":"Gate steward","args":{"code":"TCK-');

    const next = openGate(file);
    expect(next.answered().leftBehind).toEqual({ recorded: 3, failed: [] });
    expect(scanRows(next.store).map((row) => row.id)).toEqual(verdicts.map((verdict) => verdict.scanId));
    expect(outboxRows(next.store).map((row) => row.args.scanId)).toEqual(verdicts.map((verdict) => verdict.scanId));
    expect(fileLines(file)).toEqual([]);
    next.store.close();
  });
});
