/**
 * Bundles the Electron main process (ESM), the import worker thread (ESM; main.js starts it from
 * its own folder, see host/jobs/import-job.ts) and the sandboxed preload (CommonJS: a sandboxed
 * preload is one classic script) into out/electron/. Packages stay external: electron-builder ships them
 * in node_modules, the native ones unpacked from the asar.
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { build } from 'vite';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const externalNames = ['electron', ...builtinModules, ...Object.keys(packageJson.dependencies)];
const isExternal = (id: string) =>
  id.startsWith('node:') || externalNames.some((name) => id === name || id.startsWith(`${name}/`));

for (const [entry, format, fileName] of [
  ['electron/main.ts', 'es', 'main.js'],
  ['host/jobs/import-worker.ts', 'es', 'import-worker.js'],
  ['db/checkpoint-worker.ts', 'es', 'checkpoint-worker.js'],
  ['host/sync/sync-worker.ts', 'es', 'sync-worker.js'],
  ['electron/preload.ts', 'cjs', 'preload.cjs'],
] as const) {
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: 'out/electron',
      emptyOutDir: false,
      target: 'node22',
      minify: false,
      sourcemap: true,
      lib: { entry, formats: [format], fileName: () => fileName },
      rollupOptions: { external: isExternal },
    },
  });
}
console.log('Built out/electron/: main.js, preload.cjs and the import, checkpoint and sync workers');
