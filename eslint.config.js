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

/**
 * The part of core the server runs too (DESIGN.md section 2): command bodies, the rules they call
 * and the contracts. Everything in core is that part unless listed here as terminal-side: the
 * runner and its SQLite driver, the API, reads for screens and the CLI, readers, the station and
 * terminal state, operators' sign-in, CSV files, and handlers (which call the runner).
 */
const terminalSide = [
  'core/**/*.test.ts',
  'core/clock.ts',
  'core/ids.ts',
  'core/**/*.handlers.ts',
  'core/api/**',
  'core/commands/{command,journal,registry,sqlite-driver,projections}.ts',
  'core/devices/**',
  'core/station/**',
  'core/operators/**',
  'core/terminal/**',
  'core/events/{current,data-folder,list,choose}.ts',
  'core/customers/{card,card-history,list,search,search-index,resolve}.ts',
  'core/checkin/{counts,latest-verdict,answered-scans}.ts',
  'core/tags/scan-history.ts',
  'core/tickets/scan-history.ts',
  'core/alerts/alert-list.ts',
  'core/orders/catalog-list.ts',
  'core/csv/{export-customer,export-credit-history,import-customers,import-plan,import-preview,import-uploads,import-source}.ts',
];

/**
 * The part of sync/ the terminal alone runs (its sync worker, which reads and writes the local
 * store); everything else in sync/ is the protocol both sides share.
 */
const syncTerminalSide = ['sync/**/*.test.ts', 'sync/terminal/**'];

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
    // Command bodies and pure rules: runnable on the server (PostgreSQL) as on the terminal (SQLite).
    files: ['core/**'],
    ignores: terminalSide,
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...noElectronOrReact.paths,
            { name: 'kysely', importNames: ['sql'], message: 'No raw SQL in command bodies: build queries with kysely (DESIGN.md section 5).' },
          ],
          patterns: [
            ...noElectronOrReact.patterns,
            { group: ['**/db/**'], allowTypeImports: true, message: 'Command bodies run on the server too: only types from db/ (DESIGN.md section 2).' },
            { group: ['**/drivers/**'], allowTypeImports: true, message: 'Command bodies run on the server too: no reader drivers.' },
            { group: ['**/host/**'], message: 'Command bodies run on the server too: no host code.' },
            { group: nativePackages, message: 'Command bodies run on the server too: no native packages.' },
            { group: nodeBuiltins, message: 'Command bodies run on the server too: no Node APIs.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "A body's time is the envelope's (tx.now), never the local clock." },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "A body's time is the envelope's (tx.now), never the local clock." },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Ids and codes derive from the envelope (tx.nextId, envelopeHash), never from chance.' },
        { selector: "CallExpression[callee.name='newId']", message: 'Ids a command creates derive from the envelope (tx.nextId), so every machine writes the same rows.' },
      ],
    },
  },
  {
    // The central server (DESIGN.md section 2): it runs the shared command bodies on PostgreSQL and
    // never the terminal's store, host or readers.
    files: ['server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noElectronOrReact.paths, { name: 'better-sqlite3', message: 'The server stores in PostgreSQL or PGlite, never in SQLite (DESIGN.md section 2).' }],
          patterns: [
            ...noElectronOrReact.patterns,
            { group: ['better-sqlite3/*'], message: 'The server stores in PostgreSQL or PGlite, never in SQLite (DESIGN.md section 2).' },
            { group: ['**/host/**'], message: 'The server never imports the terminal\'s host (DESIGN.md section 2).' },
            { group: ['**/drivers/**'], message: 'The server never imports reader drivers (DESIGN.md section 2).' },
          ],
        },
      ],
    },
  },
  {
    // The sync protocol: shared by the terminal and the server, so it holds neither side's code.
    files: ['sync/**'],
    ignores: syncTerminalSide,
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...noElectronOrReact.paths, { name: 'better-sqlite3', message: 'The sync protocol is shared with the server: no SQLite.' }],
          patterns: [
            ...noElectronOrReact.patterns,
            { group: ['**/db/**'], allowTypeImports: true, message: 'The sync protocol is shared with the server: only types from db/.' },
            { group: ['**/server/**'], message: 'The sync protocol is shared with the terminal: no server code.' },
            { group: ['**/host/**'], message: 'The sync protocol is shared with the server: no host code.' },
            { group: ['**/drivers/**'], message: 'The sync protocol is shared with the server: no reader drivers.' },
            { group: ['better-sqlite3/*'], message: 'The sync protocol is shared with the server: no SQLite.' },
          ],
        },
      ],
    },
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
