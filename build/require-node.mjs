// Runs before `npm start` and the builds, on whatever Node.js is first on PATH: plain JavaScript
// that any Node parses, so an old Node gets one clear line instead of ERR_UNKNOWN_FILE_EXTENSION
// ".ts" from the first TypeScript file (Node >= 22.12 strips types; 22.6-22.11 needed a flag).
// The minimum comes from package.json's "engines", the one place it is written.
import { readFileSync } from 'node:fs';

const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const [, major, minor] = /^>=\s*(\d+)\.(\d+)/.exec(engines).map(Number);
const [runningMajor, runningMinor] = process.versions.node.split('.').map(Number);
if (runningMajor < major || (runningMajor === major && runningMinor < minor)) {
  console.error(`Box Office needs Node.js ${engines} (24 recommended); this is Node.js ${process.versions.node}: install Node.js 24 (https://nodejs.org) and run the command again.`);
  process.exit(1);
}
