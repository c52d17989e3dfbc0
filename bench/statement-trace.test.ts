import { describe, expect, it } from 'vitest';
import { checkinSetup } from '../test/fixtures/checkin.ts';
import { snapshot } from '../test/fixtures/store.ts';
import { scanCommand } from '../core/checkin/scan.ts';
import { runCommand } from '../core/commands/command.ts';
import { newId } from '../core/ids.ts';
import { Store } from '../db/store.ts';
import { traceReplayer, traceWithoutEffect } from './statement-trace.ts';

describe('the raw baseline of the command driver', () => {
  it("replays a scan's statements to exactly what the scan through runCommand writes, and the recording leaves the store as it was", () => {
    const { store, core, ticket, gates, setTime } = checkinSetup();
    setTime('2026-07-11T10:00:00.000Z');
    const t = ticket();
    const before = snapshot(store);
    let written: ReturnType<typeof snapshot> = {};
    const trace = traceWithoutEffect(store, () => {
      runCommand(core.context, scanCommand, { code: t.reference, gateId: gates.main, direction: 'entry', scanId: newId() });
      written = snapshot(store);
    });
    expect(snapshot(store)).toEqual(before);
    expect(store.statement).toBe(Store.prototype.statement);
    // The runner's statements (terminal state, outbox) and the body's steps (the scan row, the ticket).
    expect(trace.map((step) => step.sql)).toEqual(expect.arrayContaining([expect.stringMatching(/^insert into "scans"/), expect.stringMatching(/^INSERT INTO outbox/)]));
    traceReplayer(store.db)(trace);
    expect(snapshot(store)).toEqual(written);
    expect(written['scans']).toHaveLength(1);
  });
});
