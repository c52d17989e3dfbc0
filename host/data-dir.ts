import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The application name Electron's userData folder is named after (package productName). */
export const appName = 'Box Office';

export const storeFileName = 'box-office.sqlite';

export interface DataDirSources {
  /** `--data-dir DIR` from the command line. */
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * Where this install keeps its data: `--data-dir`, else BOX_OFFICE_DATA_DIR, else the folder
 * Electron's app.getPath('userData') would give, so the CLI, the web host and the desktop app
 * share one store by default.
 */
export function resolveDataDir(sources: DataDirSources = {}): string {
  const env = sources.env ?? process.env;
  if (sources.flag) return resolve(sources.flag);
  if (env.BOX_OFFICE_DATA_DIR) return resolve(env.BOX_OFFICE_DATA_DIR);
  return join(appDataDir(sources.platform ?? process.platform, env, sources.home ?? homedir()), appName);
}

/** The demo's folder name, beside the real one: the demo never shares a store with real events. */
export const demoFolderName = 'Box Office Demo';

/**
 * Where `npm start` keeps the demo festival: BOX_OFFICE_DEMO_DATA_DIR, else a "Box Office Demo"
 * folder beside the real data folder's default, so demo data never mixes with a real event.
 */
export function resolveDemoDataDir(sources: Omit<DataDirSources, 'flag'> = {}): string {
  const env = sources.env ?? process.env;
  if (env.BOX_OFFICE_DEMO_DATA_DIR) return resolve(env.BOX_OFFICE_DEMO_DATA_DIR);
  return join(appDataDir(sources.platform ?? process.platform, env, sources.home ?? homedir()), demoFolderName);
}

/** Electron's app.getPath('appData') on each platform. */
export function appDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME ?? join(home, '.config');
}

/** Creates the data folder (and its parents) when missing; returns its absolute path. */
export function ensureDataDir(dir: string): string {
  const absolute = resolve(dir);
  mkdirSync(absolute, { recursive: true });
  return absolute;
}

export function storeFile(dataDir: string): string {
  return join(dataDir, storeFileName);
}
