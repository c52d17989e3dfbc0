// End-to-end tests of the `box-office` CLI: the real entry point run by Node (type stripping)
// against temporary data folders, checking stdout, stderr and exit codes as a shell would.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { runCli } from './fixtures/cli.ts';

const root = join(import.meta.dirname, '..');
const entry = join(root, 'host', 'cli', 'box-office.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file, ...args],
      { cwd: root, env: { ...process.env, BOX_OFFICE_DATA_DIR: '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const cli = (...args: string[]) => run(entry, args);

/** Asserts the CLI failed the way a user error should: one line on stderr, no stack trace. */
function expectOneLineError(result: Run, code: number, pattern: RegExp) {
  expect(result.code).toBe(code);
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^box-office: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

let temp: string;
let dataDir: string;

interface Keys {
  id: string;
  email: string;
  lastName: string;
  reference: string;
  uid: string;
  creditCustomerId: string;
}
let keys: Keys;

const seedArgs = ['--customers', '200', '--tickets', '300', '--tags', '160', '--seed', '5'];

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'box-office-cli-'));
  dataDir = join(temp, 'main');
  const seeded = await cli('seed', '--data-dir', dataDir, ...seedArgs, '--json');
  expect(seeded.code).toBe(0);
  const db = openDatabase(join(dataDir, 'box-office.sqlite'), { readonly: true });
  try {
    // A named customer with an e-mail, a ticket and a tag.
    const row = db
      .prepare(
        `SELECT c.id, c.email, c.last_name, t.reference, g.uid FROM customers AS c
         JOIN tickets AS t ON t.customer_id = c.id JOIN tags AS g ON g.customer_id = c.id
         WHERE c.email IS NOT NULL AND c.last_name NOT LIKE '% %' ORDER BY c.rowid LIMIT 1`,
      )
      .get() as { id: string; email: string; last_name: string; reference: string; uid: string };
    const credit = db.prepare('SELECT customer_id FROM ledger_entries ORDER BY rowid LIMIT 1').get() as { customer_id: string };
    keys = { id: row.id, email: row.email, lastName: row.last_name, reference: row.reference, uid: row.uid, creditCustomerId: credit.customer_id };
  } finally {
    db.close();
  }
}, 30_000);

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('box-office seed', () => {
  it('reports what it wrote as JSON, and refuses a folder that already holds customers', async () => {
    const folder = join(temp, 'seed-json');
    const result = await cli('seed', '--data-dir', folder, '--customers', '30', '--tickets', '40', '--tags', '20', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ customers: 30, tickets: 40, tags: 20, seed: 1, dataDir: folder });
    expectOneLineError(await cli('seed', '--data-dir', folder), 1, /already holds customers/);
    expect(readdirSync(join(folder, 'logs'))).toHaveLength(1);
  });

  // In this process (runCli): the same code as the spawned command, without ten process start-ups,
  // which alone took most of the test's time on a loaded machine.
  it('is deterministic: the same seed gives the same search and card output', async () => {
    const inProcess = (...args: string[]) => runCli(args);
    const twin = join(temp, 'twin');
    expect((await inProcess('seed', '--data-dir', twin, ...seedArgs)).code).toBe(0);
    for (const args of [
      ['search', keys.lastName.slice(0, 3), '--json'],
      ['card', keys.email, '--json'],
      ['card', keys.reference, '--json'],
    ]) {
      const first = await inProcess(...args, '--data-dir', dataDir);
      const second = await inProcess(...args, '--data-dir', twin);
      expect(first.code).toBe(0);
      expect(second.stdout).toBe(first.stdout);
    }
    const other = join(temp, 'other-seed');
    expect((await inProcess('seed', '--data-dir', other, ...seedArgs.slice(0, -1), '6')).code).toBe(0);
    const otherCard = await inProcess('card', keys.email, '--json', '--data-dir', other);
    const sameCard = await inProcess('card', keys.email, '--json', '--data-dir', dataDir);
    expect(otherCard.stdout).not.toBe(sameCard.stdout);
  });
});

describe('box-office search', () => {
  it('prints a table with name, email, total spent in the currency, status and match', async () => {
    const result = await cli('search', keys.lastName, '--data-dir', dataDir);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trim().split('\n');
    expect(header).toMatch(/^Name\s+Email\s+Total spent\s+Status\s+Matched by\s+Customer id$/);
    expect(rows.length).toBeGreaterThan(0);
    expect(result.stdout).toContain(keys.id);
    expect(rows.every((row) => /€\d/.test(row) && /(Verified|Non-verified)/.test(row))).toBe(true);
  });

  it('gives JSON results, and finds customers by ticket reference and tag UID', async () => {
    const byTicket = JSON.parse((await cli('search', keys.reference, '--json', '--data-dir', dataDir)).stdout);
    expect(byTicket.results[0]).toMatchObject({ customerId: keys.id, matchedBy: 'ticket', matchedValue: keys.reference });
    const spaced = keys.uid.match(/../g)!.join(' ').toLowerCase();
    const byTag = JSON.parse((await cli('search', ...spaced.split(' '), '--limit', '5', '--json', '--data-dir', dataDir)).stdout);
    expect(byTag.results[0]).toMatchObject({ customerId: keys.id, matchedBy: 'tag' });
  });

  it('says so when nothing matches', async () => {
    const result = await cli('search', 'zzzzqqqq', '--data-dir', dataDir);
    expect(result).toMatchObject({ code: 0, stdout: 'No customers match "zzzzqqqq".\n' });
  });
});

describe('box-office card', () => {
  it('opens the same card by id, e-mail, ticket reference and tag UID', async () => {
    const colonUid = keys.uid.toLowerCase().match(/../g)!.join(':');
    const cards = await Promise.all([keys.id, keys.email.toUpperCase(), keys.reference, colonUid].map((key) => cli('card', key, '--json', '--data-dir', dataDir)));
    for (const card of cards) expect(card.code).toBe(0);
    const parsed = cards.map((card) => JSON.parse(card.stdout));
    expect(parsed.map((card) => card.profile.id)).toEqual([keys.id, keys.id, keys.id, keys.id]);
    expect(parsed[0].tickets.some((ticket: { reference: string }) => ticket.reference === keys.reference)).toBe(true);
    expect(parsed[0].tags.some((tag: { uid: string }) => tag.uid === keys.uid)).toBe(true);
  });

  it('prints the card as readable text', async () => {
    const result = await cli('card', keys.email, '--data-dir', dataDir);
    expect(result.code).toBe(0);
    for (const part of [keys.email, keys.lastName, 'Amount spent €', 'Balance:', 'Tickets (', keys.reference, 'Tags (', 'Orders (', 'Timeline (', 'History (']) {
      expect(result.stdout).toContain(part);
    }
    expect(result.stdout).toContain(keys.uid.match(/../g)!.join(':'));
  });

  it('refuses an unknown customer with one line and exit code 1', async () => {
    expectOneLineError(await cli('card', 'nobody@example.com', '--data-dir', dataDir), 1, /nobody@example\.com/);
    expectOneLineError(await cli('export', 'customer', 'BO-NOSUCHTICKET', '--data-dir', dataDir), 1, /BO-NOSUCHTICKET/);
  });
});

describe('box-office export', () => {
  it('writes the customer CSV to a file', async () => {
    const out = join(temp, 'customer.csv');
    const result = await cli('export', 'customer', keys.email, '--out', out, '--data-dir', dataDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(out);
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    expect(csv).toContain(keys.email);
    expect(csv).toContain(keys.reference);
    expect(csv).toContain(keys.uid);
  });

  it('writes the credit history into a folder under its own name, or to stdout', async () => {
    const folder = join(temp, 'exports');
    mkdirSync(folder);
    const result = await cli('export', 'credit-history', keys.creditCustomerId, '--out', folder, '--json', '--data-dir', dataDir);
    expect(result.code).toBe(0);
    const written = JSON.parse(result.stdout) as { fileName: string; path: string; bytes: number };
    expect(readdirSync(folder)).toEqual([written.fileName]);
    const csv = readFileSync(written.path, 'utf8');
    expect(csv.split('\r\n').length).toBeGreaterThan(2);
    expect(csv).toMatch(/Credit|Token|Virtual/);
    const toStdout = await cli('export', 'credit-history', keys.creditCustomerId, '--data-dir', dataDir);
    expect(toStdout.stdout).toBe(csv);
  });
});

describe('box-office import customers', () => {
  const csv = [
    'Email,First Name,Last Name,Phone,Ticket Reference,Ticket Type',
    'ines.pena@example.com,Inés,Peña,+34 612 345 678,IMP-0001,Weekend',
    'not-an-email,Bad,Row,,IMP-0002,Weekend',
    'ines.pena@example.com,Inés,Peña,,IMP-0003,Saturday',
    ',,,,IMP-0004,',
    'olaf@example.com,Olaf,Øster,,,',
  ].join('\n');

  it('imports the good rows, lists the rejected ones and exits 0 (--json)', async () => {
    const folder = join(temp, 'import-json');
    const file = join(temp, 'customers.csv');
    writeFileSync(file, csv);
    const result = await cli('import', 'customers', file, '--json', '--data-dir', folder);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    // Row 4 gives Inés (new on row 2) a second ticket: an update, not a second import.
    expect(summary).toMatchObject({ imported: 2, updated: 1, unchanged: 0, dryRun: false, eventCreated: true });
    expect(summary.rejected).toEqual([
      { row: 3, reason: expect.stringMatching(/^email: /), cells: ['not-an-email', 'Bad', 'Row', '', 'IMP-0002', 'Weekend'] },
      { row: 6, reason: expect.stringMatching(/ticket/), cells: ['olaf@example.com', 'Olaf', 'Øster', '', '', ''] },
    ]);
    const card = JSON.parse((await cli('card', 'ines.pena@example.com', '--json', '--data-dir', folder)).stdout);
    expect(card.tickets.map((ticket: { reference: string }) => ticket.reference).sort()).toEqual(['IMP-0001', 'IMP-0003']);
    // Importing the same file again changes nothing.
    const again = JSON.parse((await cli('import', 'customers', file, '--json', '--data-dir', folder)).stdout);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 3 });
  });

  it('prints a summary with each rejected row, and a dry run saves nothing', async () => {
    const folder = join(temp, 'import-human');
    const file = join(temp, 'customers-human.csv');
    writeFileSync(file, csv);
    const dry = await cli('import', 'customers', file, '--dry-run', '--data-dir', folder);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run \(nothing was saved\): 5 rows read/);
    expect(dry.stdout).toContain('row 3: Email: Invalid email address');
    expect(dry.stderr).toMatch(/importing: 5 rows read/);
    expect((await cli('search', 'ines', '--json', '--data-dir', folder)).stdout).toBe('{"results":[]}\n');
    const real = await cli('import', 'customers', file, '--data-dir', folder);
    expect(real.stdout).toMatch(/^5 rows read from .*: 2 imported, 1 updated, 0 unchanged, 2 rejected\./);
  });

  it('exits 2 when the file cannot be read at all', async () => {
    const folder = join(temp, 'import-unreadable');
    expectOneLineError(await cli('import', 'customers', join(temp, 'missing.csv'), '--data-dir', folder), 2, /missing\.csv: no such file/);
    expectOneLineError(await cli('import', 'customers', temp, '--data-dir', folder), 2, /is a folder/);
    const noHeader = join(temp, 'no-header.csv');
    writeFileSync(noHeader, 'colour,size\nred,L\n');
    const result = await cli('import', 'customers', noHeader, '--data-dir', folder);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('arguments, help and unexpected errors', () => {
  it('refuses bad or missing arguments with a one-line usage error and exit code 2', async () => {
    expectOneLineError(await cli('seed', '--customers', 'many', '--data-dir', join(temp, 'bad')), 2, /--customers: must be a whole number from 0 to 10,000,000.*usage: box-office seed/);
    expectOneLineError(await cli('seed', '--customers', '-5', '--data-dir', join(temp, 'bad')), 2, /--customers: must be a whole number from 0 to 10,000,000 \(usage/);
    expectOneLineError(await cli('search', 'anna', '--limit', '-1', '--data-dir', dataDir), 2, /--limit: must be a positive whole number from 1 to 100 \(usage/);
    expectOneLineError(await cli('search', '  ', '--data-dir', dataDir), 2, /^box-office: Give something to search for: a name, e-mail, phone, ticket reference or tag UID \(usage/);
    expectOneLineError(await cli('search', '--data-dir', dataDir), 2, /QUERY is required/);
    expectOneLineError(await cli('search', 'anna', '--limit', '0', '--data-dir', dataDir), 2, /--limit/);
    expectOneLineError(await cli('card', '--data-dir', dataDir), 2, /ID is required/);
    expectOneLineError(await cli('card', keys.id, '--colour', 'red', '--data-dir', dataDir), 2, /--colour/);
    expectOneLineError(await cli('card', keys.id, 'extra', '--data-dir', dataDir), 2, /unexpected argument 'extra'/);
    expectOneLineError(await cli('fly', '--data-dir', dataDir), 2, /unknown command 'fly'/);
    expectOneLineError(await cli('import', 'x.csv', '--data-dir', dataDir), 2, /did you mean 'import customers'/);
  });

  it('prints usage for every command with --help and help', async () => {
    for (const args of [['--help'], ['help']]) {
      const result = await cli(...args);
      expect(result.code).toBe(0);
      for (const command of ['seed', 'import customers FILE', 'export customer ID', 'export credit-history ID', 'search QUERY', 'card ID', 'tag activate --ticket REF --uid UID', 'tag replace --old UID --uid NEW_UID', '--data-dir DIR', '--json']) {
        expect(result.stdout).toContain(command);
      }
    }
    const one = await cli('card', '--help');
    expect(one).toMatchObject({ code: 0 });
    expect(one.stdout).toMatch(/^Usage: box-office card ID/);
  });

  it('reports an unexpected error in one line pointing at the log, which holds the stack', async () => {
    const folder = join(temp, 'broken');
    mkdirSync(folder);
    writeFileSync(join(folder, 'box-office.sqlite'), 'this is not a database, just text that is long enough to be read as a header '.repeat(20));
    const result = await cli('search', 'anna', '--data-dir', folder);
    expectOneLineError(result, 1, /unexpected error: .*details in .*box-office-\d{4}-\d{2}-\d{2}\.log/);
    const logFile = /details in (.*\.log)\)/.exec(result.stderr)![1]!;
    expect(readFileSync(logFile, 'utf8')).toMatch(/"stack":".*at /);
  });
});

describe('a data folder that is not there', () => {
  it('is an error for every command that reads data, and is not created', async () => {
    const typo = join(temp, 'no-such-folder');
    for (const args of [['search', 'anna'], ['card', 'anna@example.com'], ['checkin', 'BO-1'], ['export', 'customer', 'x@example.com'], ['tag', 'activate', '--ticket', 'T', '--uid', '04A1A1A1']]) {
      expectOneLineError(await cli(...args, '--data-dir', typo), 1, /No Box Office data in .*no-such-folder \(check --data-dir/);
    }
    expect(existsSync(typo)).toBe(false);
  }, 60_000);
});

describe('export --out', () => {
  it('says so when the folder is missing, and never overwrites a file without --force', async () => {
    const missing = join(temp, 'missing-folder', 'customer.csv');
    expectOneLineError(await cli('export', 'customer', keys.email, '--out', missing, '--data-dir', dataDir), 1, /The folder .*missing-folder does not exist/);
    const existing = join(temp, 'existing.csv');
    writeFileSync(existing, 'last week');
    expectOneLineError(await cli('export', 'customer', keys.email, '--out', existing, '--data-dir', dataDir), 1, /existing\.csv already exists: add --force/);
    expect(readFileSync(existing, 'utf8')).toBe('last week');
    expect((await cli('export', 'customer', keys.email, '--out', existing, '--force', '--data-dir', dataDir)).code).toBe(0);
    expect(readFileSync(existing, 'utf8')).toContain(keys.email);
  }, 60_000);
});

describe('ticket references typed in another case', () => {
  it('are found by search, card, checkin and tag activate', async () => {
    const folder = join(temp, 'lookups');
    expect((await cli('seed', '--data-dir', folder, ...seedArgs)).code).toBe(0);
    const db = openDatabase(join(folder, 'box-office.sqlite'), { readonly: true });
    const row = db
      .prepare(
        `SELECT c.id, c.first_name, c.last_name, t.reference FROM tickets AS t JOIN customers AS c ON c.id = t.customer_id
         WHERE t.status = 'valid' AND t.redeemed = 0 AND t.banned = 0 AND t.entry_count = 0 AND c.first_name IS NOT NULL AND c.deleted_at IS NULL
         ORDER BY t.rowid LIMIT 1`,
      )
      .get() as { id: string; first_name: string; last_name: string; reference: string };
    db.close();
    const lower = row.reference.toLowerCase();
    expect(lower).not.toBe(row.reference);
    const name = `${row.first_name} ${row.last_name}`;

    const found = JSON.parse((await cli('search', lower, '--json', '--data-dir', folder)).stdout);
    expect(found.results[0]).toMatchObject({ customerId: row.id, matchedBy: 'ticket', matchedValue: row.reference });
    expect(JSON.parse((await cli('card', lower, '--json', '--data-dir', folder)).stdout).profile.id).toBe(row.id);
    const scan = JSON.parse((await cli('checkin', lower, '--json', '--data-dir', folder)).stdout);
    expect(scan).toMatchObject({ credential: 'ticket', ticket: { reference: row.reference } });

    const activated = await cli('tag', 'activate', '--ticket', lower, '--uid', '04:e5:e5:e5:e5:e5:e5', '--data-dir', folder);
    expect(activated.stderr).toBe('');
    expect(activated.stdout.split('\n')[0]).toBe(`Wristband 04E5E5E5E5E5E5 activated for ${name}`);
    expect(activated.stdout).toContain(`Ticket ${row.reference} is redeemed`);
    expect(activated.stdout).not.toContain(row.id);

    // The ticket is now exchanged: activating it again points at tag replace, which the CLI has.
    const again = await cli('tag', 'activate', '--ticket', row.reference, '--uid', '04F6F6F6', '--data-dir', folder);
    expectOneLineError(again, 1, /already redeemed \(wristband 04E5E5E5E5E5E5\).*box-office tag replace/);
    const replaced = await cli('tag', 'replace', '--old', '04e5e5e5e5e5e5', '--uid', '04:f6:f6:f6', '--data-dir', folder);
    expect(replaced).toMatchObject({
      code: 0,
      stdout: `Wristband 04F6F6F6 is now the active wristband of ${name}\nNow inactive (replaced): wristband 04E5E5E5E5E5E5\n`,
    });
    const byNewTag = JSON.parse((await cli('checkin', '04F6F6F6', '--json', '--data-dir', folder)).stdout);
    expect(byNewTag).toMatchObject({ credential: 'tag', tag: { uid: '04F6F6F6', active: true } });
    expectOneLineError(await cli('tag', 'replace', '--old', '04E5E5E5E5E5E5', '--data-dir', folder), 2, /--uid is required/);
  }, 90_000);
});

describe('npm run bench (smoke)', () => {
  it('prints one JSON object per benchmark', async () => {
    const output = join(temp, 'bench-output');
    const result = await run(join(root, 'bench', 'run.ts'), [], { BENCH_SCALE: '0.002', BENCH_OUTPUT_DIR: output });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const benchFiles = readdirSync(join(root, 'bench')).filter((name) => name.endsWith('.bench.ts'));
    expect(lines).toHaveLength(benchFiles.length);
    const customers = lines.map((line) => JSON.parse(line)).find((object) => object.benchmark === 'customers');
    expect(customers.machine).toMatchObject({ cpus: expect.any(Number), node: process.version });
    for (const kind of ['name', 'email', 'ticket', 'tag']) {
      expect(customers.search[kind]).toMatchObject({ p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number), ratio: expect.any(Number) });
      expect(customers.search[kind].lookups).toBeGreaterThanOrEqual(1000);
      expect(customers.search[kind].hits).toBe(customers.search[kind].lookups);
    }
    expect(customers.card.raw.p95).toEqual(expect.any(Number));
    expect(customers.import).toMatchObject({ rowsPerSecond: expect.any(Number), raw: { rowsPerSecond: expect.any(Number) }, ratio: expect.any(Number) });
    expect(typeof customers.goals.allMet).toBe('boolean');
    // Every benchmark in its own process, two of them opening a server on PostgreSQL and on PGlite.
  }, 120_000);
});
