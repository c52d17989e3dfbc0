import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { journalSetup } from '../../test/fixtures/journal.ts';
import { snapshot } from '../../test/fixtures/store.ts';
import { copyOfStore } from '../../test/fixtures/synced-tables.ts';
import { compareHlc, parseHlc } from '../terminal/hlc.ts';
import { journalText, parseJournal, replayJournal } from './journal.ts';

const exportedAt = new Date('2026-06-02T00:00:00.000Z');

async function journalOfTwoCommands() {
  const setup = journalSetup();
  const before = copyOfStore(setup.store);
  const [ticket] = setup.store.all(sql.selectFrom('tickets').select('id').where('reference', '=', 'TCK-1'));
  expectOk(await setup.core.invoke('tickets.setBanned', { ticketId: ticket!.id, banned: true }));
  expectOk(await setup.core.invoke('customers.addLabel', { customerId: setup.anna, label: 'VIP' }));
  // A refusal and a no-op write no envelope.
  await setup.core.invoke('tickets.setBanned', { ticketId: ticket!.id, banned: true });
  await setup.core.invoke('customers.addLabel', { customerId: 'nobody', label: 'VIP' });
  return { ...setup, before, text: journalText(setup.store, exportedAt).text };
}

describe('the journal', () => {
  it("writes a header and the terminal's envelopes in seq order, one JSON line each", async () => {
    const { store, text } = await journalOfTwoCommands();
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const device = store.first(sql.selectFrom('terminal_state').select('value').where('key', '=', 'device_id'))!.value;
    expect(lines[0]).toEqual({ journal: 'box-office', format: 1, deviceId: device, exportedAt: exportedAt.toISOString(), count: 2 });
    expect(lines.slice(1).map((line) => [line.seq, line.name, line.operator])).toEqual([
      [1, 'tickets.setBanned', 'operator-1'],
      [2, 'customers.addLabel', 'operator-1'],
    ]);
    expect(parseJournal(text).entries.map((entry) => entry.line)).toEqual([2, 3]);
  });

  it('refuses a bad journal naming the line, before anything runs', async () => {
    const { text, before } = await journalOfTwoCommands();
    const [header, first, second] = text.trimEnd().split('\n') as [string, string, string];
    const edit = (line: string, change: (envelope: Record<string, unknown>) => void) => {
      const envelope = JSON.parse(line) as Record<string, unknown>;
      change(envelope);
      return JSON.stringify(envelope);
    };
    const cases: [string, string][] = [
      ['', 'The journal is empty: its first line must be the header written by box-office journal export'],
      [`{"journal":"other"}\n${first}`, 'Line 1 of the journal: not a Box Office journal header (journal: Invalid input: expected "box-office")'],
      [`${header}\n${first}\n{not json\n`, 'Line 3 of the journal: not valid JSON'],
      [`${header}\n${first}\n${edit(second, (envelope) => delete envelope.at)}\n`, 'Line 3 of the journal: at: Invalid input: expected string, received undefined'],
      [`${header}\n${edit(first, (envelope) => (envelope.name = 'tickets.teleport'))}\n${second}\n`, 'Line 2 of the journal: This version of Box Office cannot run tickets.teleport@1'],
      [`${header}\n${edit(first, (envelope) => (envelope.args = { ticketId: 'x', banned: 'yes' }))}\n${second}\n`, 'Line 2 of the journal: Banned: Invalid input: expected boolean, received string'],
      [`${header}\n${second}\n${first}\n`, 'Line 3 of the journal: seq 1 does not follow 2'],
      [`${header}\n${edit(first, (envelope) => (envelope.deviceId = 'another'))}\n${second}\n`, 'Line 2 of the journal: the envelope is from another terminal than the header names'],
      [`${header}\n${first}\n`, 'The journal announces 2 envelopes but holds 1: it is incomplete'],
    ];
    const unchanged = snapshot(before);
    for (const [bad, message] of cases) {
      expect(() => parseJournal(bad), message).toThrow(message);
    }
    expect(snapshot(before)).toEqual(unchanged);
  });

  it('counts an envelope the store refuses with its line and reason, applies the others, and retries only that one next time', async () => {
    const { text, before: elsewhere } = await journalOfTwoCommands();
    // A store without the journal's ticket: the ban fails, the label applies.
    elsewhere.run(sql.deleteFrom('tickets').where('reference', '=', 'TCK-1'));
    const journal = parseJournal(text);
    expect(replayJournal(elsewhere, journal, exportedAt)).toEqual({
      applied: 1,
      skipped: 0,
      failed: [{ line: 2, command: 'tickets.setBanned@1', reason: 'This ticket no longer exists on this terminal: reload the card' }],
    });
    const afterFirst = snapshot(elsewhere);
    expect(replayJournal(elsewhere, journal, exportedAt)).toMatchObject({ applied: 0, skipped: 1, failed: [{ line: 2 }] });
    expect(snapshot(elsewhere)).toEqual(afterFirst);
  });

  it("merges the replayed envelopes' clock stamps into the store's clock", async () => {
    const { text, before: elsewhere } = await journalOfTwoCommands();
    const journal = parseJournal(text);
    // The replaying machine's clock runs a minute behind the terminal that wrote the journal.
    replayJournal(elsewhere, journal, new Date('2026-06-01T09:59:00.000Z'));
    const clock = parseHlc(elsewhere.first(sql.selectFrom('terminal_state').select('value').where('key', '=', 'hlc'))!.value)!;
    expect(compareHlc(clock, parseHlc(journal.entries.at(-1)!.envelope.hlc)!)).toBeGreaterThan(0);
  });

  it('skips the envelopes the store ran itself', async () => {
    const { store, text } = await journalOfTwoCommands();
    const unchanged = snapshot(store);
    expect(replayJournal(store, parseJournal(text), exportedAt)).toEqual({ applied: 0, skipped: 2, failed: [] });
    expect(snapshot(store)).toEqual(unchanged);
  });
});
