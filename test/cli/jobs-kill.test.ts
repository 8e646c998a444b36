/**
 * A worker process killed (SIGKILL) in the middle of a job: the job stays in the database, running under a lease
 * no one renews; once the lease runs out another worker claims it and completes it, and the job has run to
 * completion exactly once. On a SQLite file and on a PostgreSQL schema of its own. A real process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { processDatabaseUrl } from '../support/process-databases.js';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import { repoRoot } from '../../src/config/config.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { createJobRunner, enqueueJob } from '../../src/modules/jobs/index.js';

const LEASE_MS = 400;

describe.each(engines)('a job whose worker is killed on %s', (engine) => {
  it('is claimed again after its lease and completed once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-jobs-'));
    const { url, drop } = await processDatabaseUrl(engine, dir, 'jobs');
    const h = openDatabase(url);
    try {
      await migrateToLatest(h.db, { engine: h.engine });
      const job = await enqueueJob(h.db, systemClock, { kind: 'walk', payload: { n: 1 } });
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/support/job-worker.ts'), url, String(LEASE_MS)], {
        cwd: repoRoot,
        stdio: 'ignore',
      });
      const row = () => h.db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
      await expect.poll(async () => (await row()).progress_note, { timeout: 120_000, interval: 50 }).toBe('started');
      const exited = child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve();
      child.kill('SIGKILL');
      await exited;
      expect(await row()).toMatchObject({ status: 'running', attempts: 1 });

      let completions = 0;
      const runner = createJobRunner({
        db: h.db,
        clock: systemClock,
        leaseMs: LEASE_MS,
        handlers: {
          walk: async () => {
            completions++;
            return 'done';
          },
        },
      });
      // Nothing to claim while the dead worker's lease lasts; then the job is claimed again.
      await expect.poll(() => runner.runOnce(), { timeout: 10_000, interval: 50 }).toBe(true);
      expect(await row()).toMatchObject({ status: 'succeeded', attempts: 2, result: JSON.stringify('done') });
      expect(completions).toBe(1);
      expect(await runner.runOnce()).toBe(false);
    } finally {
      await h.close();
      await drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000); // a worker process started with tsx on a loaded machine can take a minute to begin
});
