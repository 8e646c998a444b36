/**
 * Runs before every test file. Test files share one process (vitest `isolate: false`, see vitest.config.ts), so what
 * one file leaves in process-wide state must not reach the next: a CLI command under test sets `process.exitCode`.
 */
import { beforeAll } from 'vitest';

beforeAll(() => {
  process.exitCode = undefined;
});
