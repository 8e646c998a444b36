import { loadConfig } from '../../src/config/config.js';
import { buildCodeSets, prepareCodeSets, type CodeSets } from '../../src/core/codesets/index.js';

/**
 * The official CMS/CDC files (code sets, MS-DRG and MCE tables) that tests and benchmarks read: CUSTODIAN_DATA_DIR,
 * else ../shared/data/cms beside the repository, as the server would read them (src/config/config.ts).
 */
export const testDataDir: string = loadConfig().dataDir;

let official: CodeSets | undefined;
/**
 * The code sets built from the official files themselves (no snapshot), once per test process: the test files run in
 * one process (vitest.config.ts), and building them takes seconds. Read-only: a test must not change what it gets.
 */
export function officialCodeSets(): CodeSets {
  official ??= prepareCodeSets(buildCodeSets(testDataDir));
  return official;
}
