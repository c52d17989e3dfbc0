import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { openDatabase } from '../../db/connection.ts';
import { sql, Store } from '../../db/store.ts';
import { storeFile } from '../../host/data-dir.ts';

/**
 * The terminal's side of the crash tests: `box-office sync now`, or a pull held at a page
 * (test/crash/pulling-terminal.ts), in its own Node process that the test may SIGKILL at any
 * moment, a registry that kills whatever a failed test left running, and the outbox as a second
 * connection reads it. The server's process is test/fixtures/server-cli.ts's.
 */

const root = join(import.meta.dirname, '..', '..');
const terminalBin = join(root, 'host', 'cli', 'box-office.ts');
const pullingTerminalBin = join(import.meta.dirname, 'pulling-terminal.ts');
const answeringGateBin = join(import.meta.dirname, 'answering-gate.ts');

const running = new Set<ChildProcess>();
export const runningProcesses = {
  killAll(): void {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    running.clear();
  },
};

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  kill(signal?: NodeJS.Signals): void;
  /** The first line it printed on stdout (so far or later) that `wanted` accepts; an error if it ends without printing one. */
  untilLine(wanted: (line: string) => boolean): Promise<string>;
}

function started(bin: string, args: readonly string[]): RunningProcess {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BOX_OFFICE_DATA_DIR: '' } });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const readers = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const read of readers) read();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  const untilLine = (wanted: (line: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const read = () => {
        const line = stdout.split('\n').slice(0, -1).find(wanted);
        if (line === undefined) return;
        readers.delete(read);
        resolve(line);
      };
      readers.add(read);
      read();
      // 'close' comes after the last of its output: a line it printed is found before this.
      void exited.then((exit) => {
        if (readers.delete(read)) reject(new Error(`The process ended (${exit.signal ?? `exit code ${exit.code}`}) without printing the line awaited: ${exit.stderr}`));
      });
    });
  return { child, exited, kill: (signal: NodeJS.Signals = 'SIGKILL') => void child.kill(signal), untilLine };
}

/** `box-office sync now` on a terminal data folder, running. */
export function syncNowProcess(dataDir: string): RunningProcess {
  return started(terminalBin, ['sync', 'now', '--data-dir', dataDir]);
}

/** A gate app scanning `codes` while a background thread keeps the write turn (test/crash/answering-gate.ts), running until killed. */
export function answeringGateProcess(dataDir: string, gateId: string, codes: readonly string[]): RunningProcess {
  return started(answeringGateBin, ['--data-dir', dataDir, '--gate', gateId, '--codes', codes.join(',')]);
}

/** What test/crash/pulling-terminal.ts prints after each page it committed. */
export const pageLine = z.object({
  page: z.number(),
  cursors: z.record(z.string(), z.number()),
  hasMore: z.boolean(),
  settledSeq: z.number(),
  rerun: z.number(),
});
export type PageLine = z.infer<typeof pageLine>;

/** What it prints where it holds, just before it blocks. */
export const holdLine = z.object({ holding: z.enum(['inside', 'between']), page: z.number() });
export type HoldLine = z.infer<typeof holdLine>;

/** Where a pulling terminal holds until killed: inside page N once M commands ran again, or after page N committed. */
export type PullHold = { inside: number; afterRerunning: number } | { between: number };

/** A pull, page by page, of a terminal data folder, with no push (its commands stay pending); held where `hold` says. */
export function pullingTerminalProcess(dataDir: string, options: { limit?: number; hold?: PullHold } = {}): RunningProcess {
  const { hold } = options;
  const holdArgs = !hold ? [] : 'inside' in hold ? ['--hold-inside', `${hold.inside}:${hold.afterRerunning}`] : ['--hold-between', String(hold.between)];
  return started(pullingTerminalBin, ['--data-dir', dataDir, ...(options.limit ? ['--limit', String(options.limit)] : []), ...holdArgs]);
}

/** The pages a pulling terminal printed it committed, in order. */
export function pagesCommitted(stdout: string): PageLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{"page"'))
    .map((line) => pageLine.parse(JSON.parse(line)));
}

/** The terminal's outbox by status, read from a connection of the test's own (the store is in WAL mode). */
export function outboxStatuses(dataDir: string): Record<string, number> {
  const store = new Store(openDatabase(storeFile(dataDir)));
  try {
    const rows = store.all(sql.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status'));
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  } finally {
    store.db.close();
  }
}

/**
 * Reads the outbox every 5 ms until `reached` holds, and returns what it read then. If `process_`
 * ends first the moment was missed: that is an error, so a crash test never passes without its crash.
 */
export async function untilOutbox(dataDir: string, reached: (statuses: Record<string, number>) => boolean, process_: RunningProcess): Promise<Record<string, number>> {
  let ended = false;
  void process_.exited.then(() => (ended = true));
  for (;;) {
    const statuses = outboxStatuses(dataDir);
    if (reached(statuses)) return statuses;
    if (ended) throw new Error(`The process ended before the outbox reached the state awaited (it holds ${JSON.stringify(statuses)}): ${(await process_.exited).stderr}`);
    await sleep(5);
  }
}

/** Each test's data folders and PostgreSQL databases, removed after it whatever its outcome (removeLeftovers). */
const leftovers: (() => Promise<void> | void)[] = [];

export function leaveBehind(remove: () => Promise<void> | void): void {
  leftovers.push(remove);
}

/** A temporary folder removed after the test. */
export function scratchFolder(name: string): string {
  const folder = mkdtempSync(join(tmpdir(), `box-office-crash-${name}-`));
  leaveBehind(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

export async function removeLeftovers(): Promise<void> {
  for (const remove of leftovers.splice(0)) await remove();
}
