import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    // One migrated PGlite image per run, which every PGlite the tests open is loaded from.
    globalSetup: ['test/fixtures/pglite-image.global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['{core,db,drivers,sync,server,host,renderer,electron,test,bench}/**/*.test.{ts,tsx}'] },
      },
      {
        // The command suite again, every command also run on PGlite by the PostgreSQL driver and
        // compared row by row (test/fixtures/postgres-mirror.ts).
        extends: true,
        test: { name: 'pglite', include: ['core/**/*.test.ts'], env: { BOX_OFFICE_MIRROR: 'pglite' }, isolate: false, setupFiles: ['test/fixtures/pglite-setup.ts'] },
      },
    ],
  },
});
