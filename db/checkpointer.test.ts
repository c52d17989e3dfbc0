import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';
import { safetyNetCheckpointPages, startCheckpointer } from './checkpointer.ts';

const waitFor = async (condition: () => boolean, timeoutMs = 10_000) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('startCheckpointer', () => {
  it('checkpoints the WAL from its own thread while the writer only keeps a safety net', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bo-checkpoint-')), 'store.sqlite');
    const db = openDatabase(file);
    const checkpointer = startCheckpointer(db, { intervalMs: 20 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(safetyNetCheckpointPages);

    const insert = db.prepare('INSERT INTO terminal_state (key, value) VALUES (?, ?)');
    db.transaction(() => {
      for (let index = 0; index < 5000; index++) insert.run(`key-${index}`, 'x'.repeat(200));
    })();
    // The worker copies the WAL into the database file: the main file grows without the writer checkpointing.
    const sizeBefore = statSync(file).size;
    await waitFor(() => statSync(file).size > sizeBefore + 500_000);

    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.prepare('SELECT count(*) AS n FROM terminal_state').get()).toEqual({ n: 5000 });
    db.close();
  });
});
