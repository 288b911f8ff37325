import { defineConfig } from 'vitest/config';

// `npm run test:live`: the Qdrant-facing suites against the real server at QDRANT_URL, plus the
// stand-in-vs-Qdrant comparison in this folder (which the default run excludes). One file at a time:
// the suites share one real server.
export default defineConfig({
  test: {
    include: ['test/standin/**/*.test.ts', 'test/engine/**/*.test.ts', 'test/verify/**/*.test.ts', 'test/live/**/*.test.ts'],
    exclude: ['node_modules/**'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
