/**
 * `npm start` (with --demo) and `npm run start:real`: the desktop app when the Electron binary is
 * installed; otherwise says so and serves the same UI with the web host.
 *
 * --demo opens the demo festival in its own data folder ("Box Office Demo"), placed around today
 * so its gates admit its tickets. Without it, the real data folder opens as it is: never filled
 * with demo data, so an empty one shows the first-run screen. --web serves the browser UI even
 * where the desktop app is installed; other arguments go to `box-office serve` (--port, --json).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './cli/main.ts';
import { resolveDataDir, resolveDemoDataDir } from './data-dir.ts';
import { createHost } from './host.ts';
import { demoSize, ensureDemoFolder } from './seed/demo-folder.ts';

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

function openDemoFolder(): string {
  const dataDir = resolveDemoDataDir({ env: process.env });
  const { state, firstDay } = ensureDemoFolder(dataDir, new Date());
  const customers = demoSize.customers.toLocaleString('en');
  const said = {
    seeded: `Demo: a festival with ${customers} synthetic customers, on today (first day ${firstDay}), in ${dataDir}.`,
    replaced: `Demo: the festival in ${dataDir} was on other days; it is placed around today again (first day ${firstDay}).`,
    current: `Demo: the festival in ${dataDir} (first day ${firstDay}).`,
    'not-a-demo': `${dataDir} holds data that is not the demo; it opens as it is.`,
  }[state];
  console.log(said);
  console.log(`Your real data folder (${resolveDataDir({ env: process.env })}) is not touched: \`npm run start:real\` opens it.`);
  return dataDir;
}

const args = process.argv.slice(2);
const demo = args.includes('--demo');
const web = args.includes('--web');
const dataDir = demo ? openDemoFolder() : resolveDataDir({ env: process.env });
// The app opens its own data folder, creating its empty store on the first run (the first-run
// screen then says what to do). `box-office serve --data-dir DIR` does not create one: a mistyped
// folder there would otherwise pass for an empty store.
if (!demo) createHost({ dataDir }).close();
const passOn = args.filter((arg) => arg !== '--demo' && arg !== '--web');

const electron = web ? undefined : installedElectronBinary();
if (electron) {
  const child = spawn(electron, [root], { stdio: 'inherit', env: { ...process.env, BOX_OFFICE_DATA_DIR: dataDir } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!web) console.log('Electron is not installed here (its binary was not downloaded), so Box Office starts as a web host instead.');
  process.exitCode = await main(['serve', '--data-dir', dataDir, ...passOn], {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
