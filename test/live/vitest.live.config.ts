import { defineConfig } from 'vitest/config';

// `npm run test:live` (scripts/test-live.mjs): the Qdrant-facing suites against a real Qdrant, plus the
// launcher's own tests and the stand-in-vs-Qdrant comparison in this folder (which `npm test` excludes).
// With the launched binary every test file starts its own servers, so two files run at a time as in
// `npm test`; against a shared server at QDRANT_URL, one at a time.
const shared = Boolean(process.env.QDRANT_URL);

export default defineConfig({
  test: {
    include: ['test/standin/**/*.test.ts', 'test/engine/**/*.test.ts', 'test/grpc/**/*.test.ts', 'test/verify/**/*.test.ts', 'test/frameworks/**/*.test.ts', 'test/history/**/*.test.ts', 'test/live/**/*.test.ts'],
    exclude: ['node_modules/**'],
    pool: 'forks',
    maxWorkers: shared ? 1 : 2,
    fileParallelism: !shared,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/live/skip-notes-reporter.ts'],
  },
});
