import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One process runs the test files one after another (the default single worker on these 2-core machines) without
    // a fresh module graph per file: importing the app and loading the code sets once instead of once per file took
    // the import phase from about 150 s to about 20 s. Process-wide state a file leaves behind is reset in
    // test/support/per-file-setup.ts; a test must not depend on module state another file set.
    isolate: false,
    setupFiles: ['test/support/per-file-setup.ts'],
    globalSetup: ['test/support/global-setup.ts'],
  },
});
