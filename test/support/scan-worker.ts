/**
 * A worker process for test/cli/scan-kill.test.ts: opens the Custodian of the var folder and database named on the
 * command line and runs `scan.batch` jobs with the real handler, except that after the first part of a batch is
 * filed it stops there (as if busy) until the process is killed.
 */
import { loadConfig } from '../../src/config/config.js';
import { openAppDeps } from '../../src/app/bootstrap.js';
import { scanningDepsOf } from '../../src/app/modules.js';
import { createJobRunner } from '../../src/modules/jobs/index.js';
import { createScanBatchHandler, SCAN_BATCH_JOB_KIND } from '../../src/modules/scanning/index.js';

const [varDir, url, leaseMs] = process.argv.slice(2);
const config = loadConfig({ CUSTODIAN_VAR_DIR: varDir, CUSTODIAN_DATABASE_URL: url, CUSTODIAN_LOG_LEVEL: 'silent' });
const { deps } = await openAppDeps(config, { migrate: false });
const scan = scanningDepsOf(deps);
const documents = {
  ...scan.documents,
  fileDocument: async (...args: Parameters<typeof scan.documents.fileDocument>) => {
    await scan.documents.fileDocument(...args);
    return new Promise<never>(() => {});
  },
};
const runner = createJobRunner({
  db: deps.db,
  clock: deps.clock,
  leaseMs: Number(leaseMs),
  pollMs: 20,
  handlers: { [SCAN_BATCH_JOB_KIND]: createScanBatchHandler({ ...scan, documents }) },
});
runner.start();
