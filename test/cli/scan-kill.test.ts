/**
 * A scan batch whose worker process is killed (SIGKILL) after it filed the first part: the job is claimed again
 * after its lease, the batch finishes, each part is filed exactly once, every page is recorded once, and the
 * original file goes only then. On a SQLite file and on a PostgreSQL schema of its own. Real processes and programs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engines } from '../support/databases.js';
import { processDatabaseUrl } from '../support/process-databases.js';
import { loadConfig, repoRoot } from '../../src/config/config.js';
import { openAppDeps } from '../../src/app/bootstrap.js';
import { buildModuleDeps, scanningDepsOf } from '../../src/app/modules.js';
import { Role, systemActor } from '../../src/modules/access/index.js';
import { createPatient } from '../../src/modules/patients/index.js';
import { createJobRunner } from '../../src/modules/jobs/index.js';
import {
  claimFile,
  createScanBatchHandler,
  PROCESSING_FOLDER,
  printCoverSheet,
  SCAN_BATCH_JOB_KIND,
} from '../../src/modules/scanning/index.js';
import { makeBatchPdf } from '../../src/modules/scanning/scanning-fixtures.test-support.js';

// Long enough that a worker on a loaded machine keeps its lease while it runs (a lapse would only add an attempt).
const LEASE_MS = 4000;

describe.each(engines)('a scan batch whose worker is killed on %s', (engine) => {
  it('is finished by the next worker with every part filed once and every page recorded once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-scan-kill-'));
    const { url, drop } = await processDatabaseUrl(engine, dir, 'scan');
    const config = loadConfig({ CUSTODIAN_VAR_DIR: dir, CUSTODIAN_DATABASE_URL: url, CUSTODIAN_LOG_LEVEL: 'silent' });
    const opened = await openAppDeps(config);
    const deps = opened.deps;
    try {
      const clerk = { ...systemActor('test-scan-kill'), role: Role.himClerk };
      await deps.db
        .insertInto('facilities')
        .values({ id: 'fac-kill', name: 'Kill Hospital', mrn_prefix: '', next_mrn: 1000001, created_at: '2026-01-01T00:00:00.000Z' })
        .execute();
      const { patients: patientDeps } = buildModuleDeps(deps);
      const patients = [];
      for (const [family, given] of [
        ['Ashdown', 'Ivy'],
        ['Brennan', 'Otto'],
        ['Castell', 'Nora'],
      ] as const)
        patients.push(
          await createPatient(patientDeps, clerk, {
            facilityId: 'fac-kill',
            familyName: family,
            givenName: given,
            dateOfBirth: '1960-01-01',
            sex: 'F',
          }),
        );
      const scan = scanningDepsOf(deps);
      const items: (Uint8Array | string)[] = [];
      for (const [i, p] of patients.entries()) {
        items.push((await printCoverSheet(scan, clerk, { patientId: p.id, typeCode: 'PN' })).pdf);
        for (let k = 1; k <= i + 1; k++) items.push(`Note ${i + 1} page ${k}`);
      }
      fs.mkdirSync(scan.inboxDir, { recursive: true });
      const file = path.join(scan.inboxDir, 'batch.pdf');
      fs.writeFileSync(file, await makeBatchPdf(items));
      const batchId = await claimFile(scan, file);

      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(repoRoot, 'test/support/scan-worker.ts'), dir, url, String(LEASE_MS)],
        {
          cwd: repoRoot,
          stdio: 'ignore',
        },
      );
      const filed = () =>
        deps.db.selectFrom('documents').select(['patient_id', 'external_id']).where('source_system', '=', 'scan-inbox').execute();
      await expect.poll(async () => (await filed()).length, { timeout: 150_000, interval: 100 }).toBe(1);
      const exited = child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve();
      child.kill('SIGKILL');
      await exited;
      const job = () => deps.db.selectFrom('jobs').selectAll().where('kind', '=', SCAN_BATCH_JOB_KIND).executeTakeFirstOrThrow();
      const killed = await job();
      expect(killed.status).toBe('running');
      expect(fs.readdirSync(path.join(scan.inboxDir, PROCESSING_FOLDER)).length).toBe(1);

      const handler = createScanBatchHandler(scan);
      const runner = createJobRunner({
        db: deps.db,
        clock: deps.clock,
        leaseMs: LEASE_MS,
        handlers: { [SCAN_BATCH_JOB_KIND]: handler },
      });
      await expect.poll(() => runner.runOnce(), { timeout: 60_000, interval: 100 }).toBe(true);
      expect(await job()).toMatchObject({ status: 'succeeded', attempts: killed.attempts + 1 });
      const docs = await filed();
      expect(docs.map((d) => d.patient_id).sort()).toEqual(patients.map((p) => p.id).sort());
      expect(new Set(docs.map((d) => d.external_id)).size).toBe(3);
      const pages = await deps.db
        .selectFrom('scan_pages')
        .select(['page', 'status'])
        .where('batch_id', '=', batchId)
        .orderBy('page')
        .execute();
      expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(pages.filter((p) => p.status === 'cover').length).toBe(3);
      expect(pages.filter((p) => p.status === 'filed').length).toBe(6);
      expect(fs.readdirSync(path.join(scan.inboxDir, PROCESSING_FOLDER))).toEqual([]);
      await runner.stop();
    } finally {
      await opened.close();
      await drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000); // a child process started with tsx on a loaded machine can take a minute before it files anything
});
