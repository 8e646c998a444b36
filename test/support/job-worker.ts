/**
 * A worker process for test/cli/jobs-kill.test.ts: opens the database named on the command line and runs jobs of
 * kind `walk`, whose handler reports progress and then waits until the process is killed.
 */
import { openDatabase } from '../../src/db/database.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { createJobRunner } from '../../src/modules/jobs/index.js';

const [url, leaseMs] = process.argv.slice(2);
const handle = openDatabase(url!);
const runner = createJobRunner({
  db: handle.db,
  clock: systemClock,
  leaseMs: Number(leaseMs),
  pollMs: 20,
  handlers: {
    walk: async ({ progress, signal }) => {
      await progress(0.25, 'started');
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
    },
  },
});
runner.start();
