import { defineConfig } from 'vitest/config';

// The browser test (e2e/): one file, its steps in order, against processes it starts itself.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
