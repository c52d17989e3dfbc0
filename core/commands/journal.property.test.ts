import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../db/store.ts';
import { inputOf, journalSetup, journalStep, journalStepCommands } from '../../test/fixtures/journal.ts';
import { loadRows, mirrorDatabase, postgresRows } from '../../test/fixtures/postgres-mirror.ts';
import { copyOfStore, syncedRows, syncedRowsToLoad } from '../../test/fixtures/synced-tables.ts';
import { journalText, parseJournal, replayJournal, type Journal } from './journal.ts';
import { applyEnvelopeOnPostgres } from './postgres-driver.ts';
import { commandOf } from './registry.ts';

/** The journal run on PGlite by the server's driver, from the rows the terminal held before it. */
async function replayOnPostgres(before: Store, journal: Journal) {
  const db = await mirrorDatabase();
  await loadRows(db, syncedRowsToLoad(before.db));
  for (const { envelope } of journal.entries) {
    await db.transaction().execute((trx) => applyEnvelopeOnPostgres(trx, commandOf(envelope), envelope));
  }
  return postgresRows(db, Object.keys(syncedRows(before.db)));
}

// PGlite opens once per file, before the property runs (seconds on a loaded machine).
beforeAll(() => mirrorDatabase(), 120_000);

describe('the journal replays a terminal into another store', () => {
  it('random command sequences, replayed from the journal into a copy of the store taken before and into PGlite, give equal synced tables row by row; a second replay changes nothing', async () => {
    const journalled = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(journalStep, { minLength: 1, maxLength: 16 }), async (steps) => {
        const setup = journalSetup();
        const before = copyOfStore(setup.store);
        // Refusals are part of the sequence: they write nothing, so they must not reach the journal.
        for (const one of steps) await setup.core.invoke(one.command as never, inputOf(setup.store, setup.pools, one) as never);

        const journal = parseJournal(journalText(setup.store, new Date('2026-06-02T00:00:00.000Z')).text);
        for (const { envelope } of journal.entries) journalled.add(envelope.name);
        expect(await replayOnPostgres(before, journal), 'PGlite after the journal').toEqual(syncedRows(setup.store.db));
        const outcome = replayJournal(before, journal, new Date('2026-06-02T00:00:01.000Z'));
        expect(outcome).toEqual({ applied: journal.entries.length, skipped: 0, failed: [] });
        expect(syncedRows(before.db)).toEqual(syncedRows(setup.store.db));

        const again = replayJournal(before, journal, new Date('2026-06-02T00:00:02.000Z'));
        expect(again).toEqual({ applied: 0, skipped: journal.entries.length, failed: [] });
        expect(syncedRows(before.db)).toEqual(syncedRows(setup.store.db));
      }),
      { seed: 9008, numRuns: 25 },
    );
    // The sequences reach the commands' bodies (not only their refusals): every kind of step was journalled.
    expect([...journalled].sort()).toEqual([...journalStepCommands].sort());
    // 25 sequences, each replayed twice on SQLite and loaded and replayed on PGlite: about 20 s of
    // work alone, more beside the rest of the suite.
  }, 120_000);
});
