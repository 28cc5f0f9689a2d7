import { defineConfig } from 'vitest/config';

export default defineConfig({
  // @polkadot/api and its WebAssembly sr25519 make one large chunk; the page loads it once.
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
  server: { strictPort: true },
  preview: { strictPort: true },
  test: {
    include: ['test/**/*.test.ts'],
    // Opening a key file runs scrypt at the client's cost (N = 2^17) in JavaScript: seconds, not
    // milliseconds, on a busy 2-core machine. A limit against a hang, not a speed check.
    testTimeout: 120_000,
  },
});
