import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection.ts';
import { storeFile } from '../../data-dir.ts';
import { createHost } from '../../host.ts';
import { syncedRows } from '../../../test/fixtures/synced-tables.ts';
import { snapshot } from '../../../test/fixtures/store.ts';
import { Store } from '../../../db/store.ts';
import { runCli } from '../../../test/fixtures/cli.ts';

const run = runCli;

function rowsOf(dataDir: string, read: (store: Store) => unknown) {
  const db = openDatabase(storeFile(dataDir), { readonly: true });
  try {
    return read(new Store(db));
  } finally {
    db.close();
  }
}

/** A seeded terminal, a copy of its store taken then, and three commands run on the terminal since. */
async function terminalAndCopy() {
  const root = mkdtempSync(join(tmpdir(), 'box-office-journal-'));
  const terminal = join(root, 'terminal');
  const copy = join(root, 'copy');
  expect((await run(['seed', '--data-dir', terminal, '--customers', '20'])).code).toBe(0);
  mkdirSync(copy);
  const source = openDatabase(storeFile(terminal));
  source.exec(`VACUUM INTO '${storeFile(copy)}'`);
  const [customer] = source.prepare('SELECT id FROM customers ORDER BY id LIMIT 1').all() as { id: string }[];
  const [ticket] = source.prepare('SELECT id FROM tickets ORDER BY id LIMIT 1').all() as { id: string }[];
  source.close();
  const host = createHost({ dataDir: terminal, caller: { name: 'Ada', role: 'admin' } });
  for (const [name, input] of [
    ['tickets.setBanned', { ticketId: ticket!.id, banned: true }],
    ['customers.addLabel', { customerId: customer!.id, label: 'Crew' }],
    ['customers.update', { customerId: customer!.id, city: 'Utrecht' }],
  ] as const) {
    expect((await host.core.invoke(name, input as never)).ok).toBe(true);
  }
  host.close();
  return { root, terminal, copy };
}

describe('box-office journal export and replay', () => {
  it("exports the terminal's envelopes, replays them into a copy taken before (equal synced rows), and a second replay changes nothing", async () => {
    const { root, terminal, copy } = await terminalAndCopy();
    const toStdout = await run(['journal', 'export', '--data-dir', terminal]);
    expect(toStdout.code).toBe(0);
    const lines = toStdout.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 3);
    expect(JSON.parse(lines[0]!)).toMatchObject({ journal: 'box-office', format: 1, count: 3 });

    const file = join(root, 'terminal.journal');
    expect(await run(['journal', 'export', '--out', file, '--data-dir', terminal])).toEqual({ code: 0, stdout: `Wrote 3 commands to ${file}\n`, stderr: '' });
    expect(readFileSync(file, 'utf8').split('\n').slice(1)).toEqual(toStdout.stdout.split('\n').slice(1));
    expect(await run(['journal', 'export', '--out', file, '--data-dir', terminal])).toEqual({
      code: 1,
      stdout: '',
      stderr: `box-office: ${file} already exists: add --force to overwrite it, or choose another --out\n`,
    });
    const forced = await run(['journal', 'export', '--out', file, '--force', '--json', '--data-dir', terminal]);
    expect(JSON.parse(forced.stdout)).toMatchObject({ path: file, envelopes: 3 });

    expect(await run(['journal', 'replay', file, '--data-dir', copy])).toEqual({
      code: 0,
      stdout: 'Applied 3, skipped 0 (already in this store), failed 0.\n',
      stderr: '',
    });
    const terminalRows = rowsOf(terminal, (store) => syncedRows(store.db));
    expect(rowsOf(copy, (store) => syncedRows(store.db))).toEqual(terminalRows);

    const replayed = rowsOf(copy, snapshot);
    const again = await run(['journal', 'replay', file, '--data-dir', copy, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ applied: 0, skipped: 3, failed: [] });
    expect(rowsOf(copy, snapshot)).toEqual(replayed);
  });

  it('refuses a journal with a bad line, naming it, and applies nothing of it', async () => {
    const { root, terminal, copy } = await terminalAndCopy();
    const file = join(root, 'bad.journal');
    const lines = (await run(['journal', 'export', '--data-dir', terminal])).stdout.trimEnd().split('\n');
    lines[3] = lines[3]!.replace('"name":"customers.update"', '"name":"customers.teleport"');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const before = rowsOf(copy, snapshot);
    expect(await run(['journal', 'replay', file, '--data-dir', copy])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'box-office: Line 4 of the journal: This version of Box Office cannot run customers.teleport@1\n',
    });
    expect(rowsOf(copy, snapshot)).toEqual(before);
    expect(await run(['journal', 'replay', join(root, 'missing.journal'), '--data-dir', copy])).toEqual({
      code: 1,
      stdout: '',
      stderr: `box-office: ${join(root, 'missing.journal')} does not exist\n`,
    });
  });

  it('reports the envelopes a store refuses with their line and reason, and exits 1', async () => {
    const { root, terminal } = await terminalAndCopy();
    const file = join(root, 'terminal.journal');
    expect((await run(['journal', 'export', '--out', file, '--data-dir', terminal])).code).toBe(0);
    // Another seeded store holds none of the terminal's customers or tickets.
    const other = join(root, 'other');
    expect((await run(['seed', '--data-dir', other, '--customers', '5'])).code).toBe(0);
    const result = await run(['journal', 'replay', file, '--data-dir', other]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Applied 0, skipped 0 \(already in this store\), failed 3\.\n {2}line 2 \(tickets\.setBanned@1\): .+\n {2}line 3 \(customers\.addLabel@1\): .+\n {2}line 4 \(customers\.update@1\): .+\n$/);
  });

  it('is an admin tool: another role is refused', async () => {
    const { terminal } = await terminalAndCopy();
    expect((await run(['operators', 'add', '--name', 'Stu', '--role', 'steward', '--pin', '3333', '--data-dir', terminal])).code).toBe(0);
    expect(await run(['journal', 'export', '--data-dir', terminal, '--operator', 'Stu'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'box-office: Not allowed for the steward role: ask an admin\n',
    });
  });
});
