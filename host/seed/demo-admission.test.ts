import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost } from '../host.ts';
import { firstDayAroundToday, festivalTimeline } from './festival.ts';
import { seedSyntheticEvent } from './synthetic-event.ts';

/**
 * Issue 8 item 1: the demo's tickets must open a gate on the day it is started. The festival is
 * placed with the default rule (first day yesterday) against a fixed "today", and a sample of its
 * tickets goes through the real checkin.scan command at a gate its ticket type admits.
 */
const today = new Date('2026-12-06T15:30:00.000Z');
const firstDay = firstDayAroundToday(today);
const temp = mkdtempSync(join(tmpdir(), 'box-office-demo-admission-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the demo festival placed around today', () => {
  const host = createHost({ dataDir: join(temp, 'demo'), clock: { now: () => today }, logLevel: 'silent' });
  seedSyntheticEvent(host.store, { customers: 400, tickets: 600, tags: 300, seed: 1, firstDay });
  afterAll(() => host.close());

  it('puts today on the festival, with its whole history before now', () => {
    expect(firstDay).toBe('2026-12-05');
    const event = host.store.db.prepare('SELECT name, starts_at, ends_at FROM events').get() as { name: string; starts_at: string; ends_at: string };
    expect(event).toEqual({ name: 'Zomerlicht Festival 2026', starts_at: '2026-12-05T10:00:00.000Z', ends_at: '2026-12-07T23:00:00.000Z' });
    const historyUntil = new Date(festivalTimeline(firstDay).historyUntil).toISOString();
    expect(historyUntil < today.toISOString()).toBe(true);
    const latest = (query: string) => (host.store.db.prepare(query).pluck().get() as string | null) ?? '';
    for (const query of [
      'SELECT max(scanned_at) FROM scans',
      'SELECT max(updated_at) FROM orders',
      'SELECT max(deleted_at) FROM orders',
      'SELECT max(at) FROM order_status_history',
      'SELECT max(updated_at) FROM tickets',
      'SELECT max(updated_at) FROM tags',
      'SELECT max(created_at) FROM ledger_entries',
      'SELECT max(updated_at) FROM customers',
    ]) {
      expect(latest(query) < historyUntil, query).toBe(true);
    }
    // Every recorded admission happened inside its ticket type's validity window.
    const outside = host.store.db
      .prepare(
        `SELECT count(*) FROM scans s JOIN tickets t ON t.id = s.ticket_id JOIN ticket_types y ON y.id = t.ticket_type_id
         WHERE s.verdict = 'admitted' AND (s.scanned_at < y.valid_from OR s.scanned_at > y.valid_until)`,
      )
      .pluck()
      .get();
    expect(outside).toBe(0);
  });

  /** Scans each code at the first gate its ticket type admits; returns how many got each reason. */
  async function scanAtAdmittingGates(sample: { code: string; gate_ids: string | null }[]) {
    const gates = host.store.db.prepare('SELECT id FROM gates ORDER BY name').pluck().all() as string[];
    const reasons: Record<string, number> = {};
    for (const credential of sample) {
      const gateId = credential.gate_ids === null ? gates[0]! : (JSON.parse(credential.gate_ids) as string[])[0]!;
      const result = await host.core.invoke('checkin.scan', { code: credential.code, gateId, direction: 'entry' });
      if (!result.ok) throw new Error(result.error.message);
      reasons[result.value.reason] = (reasons[result.value.reason] ?? 0) + 1;
    }
    return reasons;
  }

  it('offers codes for the simulated reader that get the verdict they announce (before anything else is scanned)', async () => {
    const result = await host.core.invoke('events.demoCodes', {});
    if (!result.ok) throw new Error(result.error.message);
    const { codes } = result.value;
    expect(codes.map((code) => code.expect)).toEqual(['should be admitted', 'should be admitted', 'should be admitted', 'should be admitted', 'should be admitted', 'banned', 'exchanged for a wristband']);
    const tagTypes = host.store.db.prepare('SELECT g.uid AS code, y.gate_ids FROM tags g JOIN ticket_types y ON y.id = g.ticket_type_id').all() as { code: string; gate_ids: string | null }[];
    const ticketTypes = host.store.db.prepare('SELECT t.reference AS code, y.gate_ids FROM tickets t JOIN ticket_types y ON y.id = t.ticket_type_id').all() as { code: string; gate_ids: string | null }[];
    const gatesOf = new Map([...tagTypes, ...ticketTypes].map((row) => [row.code, row.gate_ids]));
    const expected: Record<string, string> = { 'should be admitted': 'admitted', banned: 'banned', 'exchanged for a wristband': 'redeemed' };
    for (const code of codes) {
      const reasons = await scanAtAdmittingGates([{ code: code.code, gate_ids: gatesOf.get(code.code) ?? null }]);
      expect(reasons, `${code.code} ${code.label}`).toEqual({ [expected[code.expect]!]: 1 });
    }
  });
  it('admits most of its tickets at a gate that admits them, today', async () => {
    const sample = host.store.db
      .prepare(
        `SELECT t.reference AS code, y.gate_ids FROM tickets t JOIN ticket_types y ON y.id = t.ticket_type_id
         ORDER BY t.reference LIMIT 200`,
      )
      .all() as { code: string; gate_ids: string | null }[];
    const reasons = await scanAtAdmittingGates(sample);
    // The rest are rejected for what they are: exchanged for a wristband, already inside since
    // yesterday, the last day's ticket, canceled, refunded, transferred or banned.
    expect((reasons.admitted ?? 0) / sample.length, JSON.stringify(reasons)).toBeGreaterThan(0.5);
    expect(reasons.expired).toBeUndefined();
  });

  it('admits most of its active wristbands', async () => {
    const sample = host.store.db
      .prepare(
        `SELECT g.uid AS code, y.gate_ids FROM tags g JOIN ticket_types y ON y.id = g.ticket_type_id
         WHERE g.active = 1 ORDER BY g.uid LIMIT 100`,
      )
      .all() as { code: string; gate_ids: string | null }[];
    const reasons = await scanAtAdmittingGates(sample);
    expect((reasons.admitted ?? 0) / sample.length, JSON.stringify(reasons)).toBeGreaterThan(0.6);
    expect(reasons.expired).toBeUndefined();
  });

});
