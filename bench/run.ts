// `npm run bench`: runs every bench/*.bench.ts in its own Node process (a fresh heap and page
// cache per benchmark) and prints exactly one JSON object per benchmark on stdout, one per line.
// Progress goes to stderr. Exit code 1 when a benchmark failed or printed no JSON object.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();

function runBenchmark(file: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(benchDir, file)], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout }));
  });
}

let failed = false;
for (const file of files) {
  process.stderr.write(`[bench] running ${file}\n`);
  const { code, stdout } = await runBenchmark(file);
  const objects = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? [value] : [];
      } catch {
        return [];
      }
    });
  if (code !== 0 || objects.length !== 1) {
    process.stderr.write(`[bench] ${file} failed (exit code ${code}, ${objects.length} JSON objects on stdout)\n`);
    failed = true;
    continue;
  }
  process.stdout.write(`${JSON.stringify(objects[0])}\n`);
}
process.exitCode = failed ? 1 : 0;
