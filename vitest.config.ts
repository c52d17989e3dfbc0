import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,db,drivers,sync,host,renderer,electron,test,bench}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
