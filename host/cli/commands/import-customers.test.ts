// The `box-office import customers` command run as a shell runs it (Node on the real entry point):
// exit codes, the choices for unknown ticket types, the rejected-rows file, and what is on disk
// once it has printed its summary.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection.ts';
import { storeFile } from '../../data-dir.ts';

const entry = join(import.meta.dirname, '..', 'box-office.ts');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [entry, ...args], { env: { ...process.env, BOX_OFFICE_DATA_DIR: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let temp: string;
beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'box-office-import-cli-'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function count(dataDir: string, sql: string): number {
  const db = openDatabase(storeFile(dataDir), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A data folder whose event has the type "Weekend" (created by a first import). */
async function folderWithWeekend(name: string): Promise<string> {
  const dataDir = join(temp, name);
  const first = join(temp, `${name}-first.csv`);
  writeFileSync(first, 'email,ticket,ticket type\nfirst@example.com,W-1,Weekend\n');
  expect((await cli('import', 'customers', first, '--data-dir', dataDir)).code).toBe(0);
  return dataDir;
}

describe('box-office import customers', () => {
  it('exits 2 on a file cut short inside a quote, naming the row, and writes nothing', async () => {
    const dataDir = await folderWithWeekend('truncated');
    const file = join(temp, 'truncated.csv');
    writeFileSync(file, 'email,ticket,ticket type\na@example.com,T-1,Weekend\nb@example.com,"T-2,Weekend\n');
    const result = await cli('import', 'customers', file, '--data-dir', dataDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not valid CSV from row 3 on .*nothing was imported/);
    expect(count(dataDir, 'SELECT count(*) AS n FROM customers')).toBe(1);
  });

  it('rejects unknown ticket types with a suggestion, and imports them with --map-type or --create-types', async () => {
    const dataDir = await folderWithWeekend('types');
    const file = join(temp, 'types.csv');
    writeFileSync(file, 'email,ticket,ticket type\na@example.com,T-1,Wekend\nb@example.com,T-2,Backstage\n');
    const plain = await cli('import', 'customers', file, '--data-dir', dataDir);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Unknown ticket type "Wekend" (1 row rejected): did you mean "Weekend"? Add --map-type "Wekend=Weekend", or --create-types to create it.');
    expect(count(dataDir, 'SELECT count(*) AS n FROM tickets')).toBe(1);

    const mapped = await cli('import', 'customers', file, '--map-type', 'Wekend=Weekend', '--create-types', '--json', '--data-dir', dataDir);
    expect(JSON.parse(mapped.stdout)).toMatchObject({ imported: 2, rejected: [], createdTicketTypes: ['Backstage'] });
    expect(count(dataDir, "SELECT count(*) AS n FROM ticket_types WHERE name = 'Wekend'")).toBe(0);

    const bad = await cli('import', 'customers', file, '--map-type', 'Wekend', '--data-dir', dataDir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--map-type: "Wekend" is not NAME=TYPE/);
  });

  it('writes the rejected rows with their reasons to --rejected-out, ready to fix and import again', async () => {
    const dataDir = await folderWithWeekend('rejected');
    const file = join(temp, 'rejected.csv');
    const out = join(temp, 'rejected-out.csv');
    writeFileSync(file, 'Email,First name,Ticket\ngood@example.com,Good,R-1\nchloé.martin@example.fr,Chloé,R-2\nnot-an-email,Bad,R-3\n');
    const result = await cli('import', 'customers', file, '--rejected-out', out, '--data-dir', dataDir);
    expect(result.stdout).toMatch(/: 2 imported, 0 updated, 0 unchanged, 1 rejected\./);
    expect(result.stdout).toContain(`Rejected rows, with the reason for each, written to ${out}`);
    expect(readFileSync(out, 'utf8')).toBe('\uFEFFEmail,First name,Ticket,Row in the original file,Why it was not imported\r\nnot-an-email,Bad,R-3,4,Email: Invalid email address\r\n');
  });

  it('has every imported row on disk once it has printed its summary', async () => {
    const dataDir = join(temp, 'durable');
    const file = join(temp, 'durable.csv');
    const rows = Array.from({ length: 3000 }, (_, index) => `p${index}@example.com,D-${index}`);
    writeFileSync(file, ['email,ticket', ...rows].join('\n'));
    const result = await cli('import', 'customers', file, '--json', '--data-dir', dataDir);
    expect(JSON.parse(result.stdout)).toMatchObject({ imported: 3000 });
    expect(count(dataDir, 'SELECT count(*) AS n FROM customers')).toBe(3000);
  });
});
