import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The server's data folder: the PGlite database when no PostgreSQL is configured (`pglite/`), and
 * always the running server's address and admin token (`server.json`, readable by its owner only),
 * which the CLI uses to reach the running server. A PGlite database is open in one process at a
 * time; `store.lock` names that process.
 */

export const serverDataDirVariable = 'BOX_OFFICE_SERVER_DATA_DIR';

/**
 * `--data-dir`, else BOX_OFFICE_SERVER_DATA_DIR, else the OS's folder for application data:
 * `$XDG_DATA_HOME` (`~/.local/share`) on Linux rather than the terminal's `~/.config`, because
 * this folder holds a database, not settings.
 */
export function resolveServerDataDir(flag: string | undefined, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (flag) return resolve(flag);
  if (env[serverDataDirVariable]) return resolve(env[serverDataDirVariable]);
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_DATA_HOME ?? join(home, '.local', 'share'));
  return join(appData, 'box-office-server');
}

export const pgliteDir = (dataDir: string) => join(dataDir, 'pglite');
export const serverFile = (dataDir: string) => join(dataDir, 'server.json');
const lockFile = (dataDir: string) => join(dataDir, 'store.lock');

/** Whether the folder holds a PGlite database (`box-office-server start` makes one). */
export const hasPgliteDatabase = (dataDir: string) => existsSync(join(pgliteDir(dataDir), 'PG_VERSION'));

/** What a running server writes into its data folder for the CLI. */
export const runningServerSchema = z.object({
  pid: z.number().int().positive(),
  /** Where the CLI reaches it: the loopback address when it listens on every interface. */
  url: z.url(),
  port: z.number().int().min(1).max(65535),
  /** `Authorization: Bearer <adminToken>` on the /admin routes. New at every start. */
  adminToken: z.string().min(32),
  startedAt: z.string(),
});
export type RunningServer = z.infer<typeof runningServerSchema>;

/** Written to a new file then renamed over the old one, so a reader never sees half of it; mode 0600 from the start. */
export function writeRunningServer(dataDir: string, running: RunningServer): void {
  const file = serverFile(dataDir);
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(running, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, file);
}

/** The server that wrote server.json, when the file is there and readable; undefined otherwise. */
export function readRunningServer(dataDir: string): RunningServer | undefined {
  let text: string;
  try {
    text = readFileSync(serverFile(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = runningServerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Removes server.json when it is still this server's (a newer start may have replaced it). */
export function removeRunningServer(dataDir: string, adminToken: string): void {
  if (readRunningServer(dataDir)?.adminToken === adminToken) rmSync(serverFile(dataDir), { force: true });
}

const lockSchema = z.object({ pid: z.number().int(), by: z.string(), since: z.string() });

/** A held store lock; `release()` removes it. */
export interface StoreLock {
  release(): void;
}

/**
 * Takes the data folder's PGlite database for this process: two processes writing one PGlite
 * folder would corrupt it (PGlite has no lock of its own). The lock is a file created exclusively
 * and naming its process; one left by a process that no longer runs is taken over.
 */
export function lockStore(dataDir: string, by: string): StoreLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockFile(dataDir);
  // Written whole under a name of its own, then linked to the lock's name, which fails when the
  // lock exists: another process never reads a lock half written.
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, JSON.stringify({ pid: process.pid, by, since: new Date().toISOString() }), { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, file);
        return { release: () => rmSync(file, { force: true }) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
        const holder = lockHolder(file);
        if (holder && holder.pid !== process.pid && processRuns(holder.pid)) {
          throw new StoreInUseError(`The data folder ${dataDir} is in use by ${holder.by} (process ${holder.pid}, since ${holder.since}): wait for it to finish, or stop it`);
        }
        // Left behind by a process that ended without releasing it (a crash, a kill -9).
        rmSync(file, { force: true });
      }
    }
  } finally {
    rmSync(mine, { force: true });
  }
}

export class StoreInUseError extends Error {
  override readonly name = 'StoreInUseError';
}

function lockHolder(file: string): z.infer<typeof lockSchema> | undefined {
  try {
    const parsed = lockSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
