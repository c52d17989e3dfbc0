// The real `box-office` CLI as end-to-end tests and the ui benchmark use it: `seed` fills a data
// folder, `serve` runs the web host in its own process (as a person or CI would start it), `card`
// reads what the store holds after the server stopped.
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

const root = join(import.meta.dirname, '..', '..');
export const cliEntry = join(root, 'host', 'cli', 'box-office.ts');
/** What `npm start` runs after the build. */
export const startEntry = join(root, 'host', 'start.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one CLI command to its end (never rejects: the exit code tells what happened). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliEntry, ...args],
      { cwd: root, env: { ...process.env, BOX_OFFICE_DATA_DIR: '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Like runCli, but a non-zero exit is an error that shows what the CLI said. */
export async function runCliOk(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const run = await runCli(args, env);
  if (run.code !== 0) throw new Error(`box-office ${args.join(' ')} exited with ${run.code}: ${run.stderr.trim()}`);
  return run.stdout;
}

export interface RunningServer {
  /** The address `serve` printed, token included. */
  url: string;
  port: number;
  token: string;
  /** SIGTERM, then waits for the process to finish closing the store; resolves to its exit code. */
  stop(): Promise<number | null>;
}

export interface ServeOptions {
  dataDir: string;
  /** Recorded in the audit log as who made each change. */
  operator?: string;
  /** Waits this long for the "listening" line before giving up (big stores take a while to open). */
  startTimeoutMs?: number;
}

const parseAddressLine = (line: string): { url: string; port: number; token: string } | null => {
  try {
    const value = JSON.parse(line) as { url?: unknown; port?: unknown; token?: unknown };
    if (typeof value.url === 'string' && typeof value.port === 'number' && typeof value.token === 'string') {
      return { url: value.url, port: value.port, token: value.token };
    }
  } catch {
    // Not the JSON line (yet).
  }
  return null;
};

/** Spawns `box-office serve --port 0 --json` and resolves once it printed where it listens. */
export function startServe(options: ServeOptions): Promise<RunningServer> {
  return startWebHostProcess([cliEntry, 'serve', '--data-dir', options.dataDir, '--port', '0', '--json'], { BOX_OFFICE_DATA_DIR: '' }, options);
}

export interface StartOptions {
  /** BOX_OFFICE_DATA_DIR: the real data folder. */
  dataDir: string;
  /** BOX_OFFICE_DEMO_DATA_DIR: where `npm start` keeps the demo. */
  demoDataDir: string;
  /** `npm start` (the demo) or `npm run start:real`. */
  demo: boolean;
  operator?: string;
  startTimeoutMs?: number;
}

/**
 * Runs host/start.ts as `npm start` (--demo) or `npm run start:real` do after their build, as a
 * web host (--web: never the desktop app, even where Electron is installed); resolves once it
 * listens. `output()` is everything it printed so far.
 */
export function startApp(options: StartOptions): Promise<RunningServer & { output(): string }> {
  return startWebHostProcess(
    [startEntry, ...(options.demo ? ['--demo'] : []), '--web', '--port', '0', '--json'],
    { BOX_OFFICE_DATA_DIR: options.dataDir, BOX_OFFICE_DEMO_DATA_DIR: options.demoDataDir },
    options,
  );
}

function startWebHostProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { operator?: string | undefined; startTimeoutMs?: number | undefined },
): Promise<RunningServer & { output(): string }> {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env, BOX_OFFICE_OPERATOR: options.operator ?? 'e2e-operator' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise<RunningServer & { output(): string }>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`box-office serve printed no address within ${options.startTimeoutMs ?? 30_000} ms; stderr: ${stderr.trim()}`));
    }, options.startTimeoutMs ?? 30_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`box-office serve exited with ${code} before listening: ${stderr.trim() || stdout.trim()}`));
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const address = stdout.split('\n').map(parseAddressLine).find((found) => found !== null);
      if (!address) return;
      clearTimeout(timer);
      resolve({
        ...address,
        output: () => stdout,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
