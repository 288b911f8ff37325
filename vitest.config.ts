import { defineConfig } from 'vitest/config';

// One suite, run in forked processes: tests start real redis-server, stand-in and Chromium
// instances on free ports, so they are independent and may run two at a time on 2 cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/live/**', 'node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
