// Lint rules, including DESIGN.md's layering: which folder may import what. A layering breach fails
// `npm run lint` (and so `npm test`).
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'net', 'http', 'crypto', 'stream'];
const nativePackages = ['better-sqlite3', 'node-hid', 'serialport', '@serialport/*', 'pino'];

const noElectronOrReact = {
  paths: [
    { name: 'electron', message: 'Only electron/ may import electron (DESIGN.md section 2).' },
    { name: 'react', message: 'Only renderer/ may import React (DESIGN.md section 2).' },
    { name: 'react-dom', message: 'Only renderer/ may import React (DESIGN.md section 2).' },
  ],
  patterns: [
    { group: ['**/renderer/**'], message: 'Host-side code never imports the renderer.' },
    { group: ['**/electron/**', 'electron/*'], message: 'Only electron/ may import electron.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'test-output/', 'bench/output/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['core/**', 'db/**', 'drivers/**', 'sync/**', 'host/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', noElectronOrReact] },
  },
  {
    files: ['core/**/*.contract.ts', 'core/api/operation.ts', 'core/api/client.ts', 'core/api/pubsub.ts', 'core/api/contract.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noElectronOrReact.paths,
          patterns: [
            ...noElectronOrReact.patterns,
            { group: nodeBuiltins, message: 'Contract files are shared with the renderer: no Node APIs.' },
            { group: nativePackages, message: 'Contract files are shared with the renderer: no native packages.' },
            { group: ['**/db/**', '**/host/**'], message: 'Contract files are shared with the renderer: no store code.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the host only through BoxOfficeClient.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer is sandboxed: no Node APIs (DESIGN.md section 2).' },
            { group: nativePackages, message: 'The renderer never loads native packages.' },
            { group: ['**/db/**', '**/host/**', '**/electron/**'], message: 'The renderer reaches the host only through BoxOfficeClient.' },
            {
              // Except the keyboard-burst detector: a pure codec the renderer runs on its own keydowns.
              regex: '(^|/)drivers/(?!barcode/keyboard-burst-detector\\.ts$)',
              message: 'The renderer reaches the host only through BoxOfficeClient.',
            },
          ],
        },
      ],
    },
  },
);
