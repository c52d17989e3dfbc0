/**
 * `npm start`: the desktop app when the Electron binary is installed; otherwise says so and serves
 * the same UI with the web host. An empty data folder first gets a demo event, so there is
 * something to look at.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './cli/main.ts';
import { resolveDataDir } from './data-dir.ts';
import { createHost } from './host.ts';
import { seedSyntheticEvent } from './seed/synthetic-event.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron binary, when its postinstall download happened (it is skipped in CI and offline). */
export function installedElectronBinary(): string | undefined {
  const packageDir = path.join(root, 'node_modules', 'electron');
  try {
    const relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
    const binary = path.join(packageDir, 'dist', relative);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const demo = { customers: 2000, tickets: 3000, tags: 1500, seed: 1 };

function ensureDemoData(dataDir: string): void {
  const host = createHost({ dataDir });
  try {
    const { n } = host.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    if (n === 0) {
      console.log(`The data folder ${dataDir} is empty: adding a demo event with ${demo.customers.toLocaleString('en')} synthetic customers.`);
      seedSyntheticEvent(host.store, demo);
    }
  } finally {
    host.close();
  }
}

const dataDir = resolveDataDir({ env: process.env });
ensureDemoData(dataDir);

const electron = installedElectronBinary();
if (electron) {
  const child = spawn(electron, [root], { stdio: 'inherit', env: { ...process.env, BOX_OFFICE_DATA_DIR: dataDir } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron is not installed here (its binary was not downloaded), so Box Office starts as a web host instead.');
  process.exitCode = await main(['serve', '--data-dir', dataDir, ...process.argv.slice(2)], {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
