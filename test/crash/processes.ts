import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../db/connection.ts';
import { sql, Store } from '../../db/store.ts';
import { storeFile } from '../../host/data-dir.ts';

/**
 * The terminal's side of the crash tests: `box-office sync now` in its own Node process that the test
 * may SIGKILL at any moment, a registry that kills whatever a failed test left running, and the
 * outbox as a second connection reads it. The server's process is test/fixtures/server-cli.ts's.
 */

const root = join(import.meta.dirname, '..', '..');
const terminalBin = join(root, 'host', 'cli', 'box-office.ts');

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
}

function started(bin: string, args: readonly string[]): RunningProcess {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BOX_OFFICE_DATA_DIR: '' } });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, exited, kill: (signal: NodeJS.Signals = 'SIGKILL') => void child.kill(signal) };
}

/** `box-office sync now` on a terminal data folder, running. */
export function syncNowProcess(dataDir: string): RunningProcess {
  return started(terminalBin, ['sync', 'now', '--data-dir', dataDir]);
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
