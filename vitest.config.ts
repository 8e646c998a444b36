import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores (vitest's default leaves one idle): most test time is waiting on databases, Chromium and child processes.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
