import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { manualClock } from '../../core/shared/clock.js';
import {
  afterFailure,
  combineJobRunners,
  createJobRunner,
  enqueueJob,
  JobStatus,
  PermanentJobError,
  retryDelayMs,
  type JobHandler,
} from './index.js';
import { findJob } from './jobs.repository.js';

describe('retry rules', () => {
  const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000 };
  it.each([
    [1, 0, 1_000],
    [2, 0, 2_000],
    [3, 0, 4_000],
    [10, 0, 60_000],
    [3, 0.999, 3_201],
  ])('waits %i failed attempts with jitter %f: %i ms', (attempts, random, ms) => {
    expect(retryDelayMs(attempts, policy, random)).toBe(ms);
  });
  it('fails for good when no attempts are left', () => {
    expect(afterFailure({ attempts: 3, maxAttempts: 3 }, new Date(0), policy, 0)).toEqual({ status: 'failed' });
    expect(afterFailure({ attempts: 1, maxAttempts: 3 }, new Date(0), policy, 0)).toEqual({
      status: 'queued',
      runAfter: '1970-01-01T00:00:01.000Z',
    });
  });
});

describe.each(engines)('the job queue on %s', (engine) => {
  let t: TestDatabase;
  let clock = manualClock('2026-03-01T08:00:00Z');
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    clock = manualClock('2026-03-01T08:00:00Z');
  });
  afterEach(() => t.dispose());

  const runnerWith = (handlers: Record<string, JobHandler>, leaseMs = 60_000) =>
    createJobRunner({ db: t.db, clock, handlers, leaseMs, retry: { baseDelayMs: 10_000, maxDelayMs: 60_000 }, random: () => 0 });

  it('enqueues with the transaction that asks for the work: a rollback leaves no job', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await enqueueJob(trx, clock, { kind: 'ocr', payload: { documentId: 'd1' } });
        throw new Error('the upload failed');
      }),
    ).rejects.toThrow('the upload failed');
    expect(await t.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it('runs a job once, keeps its result and progress, and answers the same job for a repeated dedupe key', async () => {
    const a = await enqueueJob(t.db, clock, { kind: 'ocr', payload: { documentId: 'd1' }, dedupeKey: 'ocr:d1:1' });
    const again = await enqueueJob(t.db, clock, { kind: 'ocr', payload: { documentId: 'd1' }, dedupeKey: 'ocr:d1:1' });
    expect(again.id).toBe(a.id);
    const seen: unknown[] = [];
    const runner = runnerWith({
      ocr: async ({ payload, progress }) => {
        seen.push(payload);
        await progress(0.5, 'page 1 of 2');
        return { pages: 2 };
      },
    });
    expect(await runner.runOnce()).toBe(true);
    expect(await runner.runOnce()).toBe(false);
    expect(seen).toEqual([{ documentId: 'd1' }]);
    expect(await findJob(t.db, a.id)).toMatchObject({
      status: JobStatus.succeeded,
      attempts: 1,
      result: JSON.stringify({ pages: 2 }),
      lease_token: null,
      finished_at: '2026-03-01T08:00:00.000Z',
    });
  });

  it('retries a failing job after a growing delay and fails it for good after its last attempt', async () => {
    const job = await enqueueJob(t.db, clock, { kind: 'flaky', payload: {}, maxAttempts: 3 });
    let calls = 0;
    const runner = runnerWith({
      flaky: async () => {
        calls++;
        throw new Error('scanner share offline');
      },
    });
    expect(await runner.runOnce()).toBe(true);
    expect(await findJob(t.db, job.id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: 'scanner share offline',
      run_after: '2026-03-01T08:00:10.000Z',
    });
    expect(await runner.runOnce()).toBe(false);
    clock.advance(10_000);
    expect(await runner.runOnce()).toBe(true);
    expect(await findJob(t.db, job.id)).toMatchObject({ status: 'queued', attempts: 2, run_after: '2026-03-01T08:00:30.000Z' });
    clock.advance(20_000);
    await runner.runOnce();
    expect(await findJob(t.db, job.id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'scanner share offline' });
    expect(calls).toBe(3);
  });

  it('fails a job at once on a permanent error', async () => {
    const job = await enqueueJob(t.db, clock, { kind: 'import', payload: {} });
    await runnerWith({
      import: async () => {
        throw new PermanentJobError('not a PDF or TIFF file');
      },
    }).runOnce();
    expect(await findJob(t.db, job.id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'not a PDF or TIFF file' });
  });

  it('claims a job again once its worker stopped renewing the lease, and keeps only the attempt that holds it', async () => {
    const job = await enqueueJob(t.db, clock, { kind: 'slow', payload: {} });
    let release!: () => void;
    const first = runnerWith({
      slow: () =>
        new Promise((resolve) => {
          release = () => resolve('late');
        }),
    });
    const running = first.runOnce();
    await expect.poll(async () => (await findJob(t.db, job.id))?.status).toBe('running');
    const second = runnerWith({ slow: async () => 'second' });
    expect(await second.runOnce()).toBe(false);
    clock.advance(60_001);
    expect(await second.runOnce()).toBe(true);
    release();
    await running;
    expect(await findJob(t.db, job.id)).toMatchObject({ status: 'succeeded', attempts: 2, result: JSON.stringify('second') });
  });

  it('runs each of many jobs exactly once with two runners working at the same time', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) ids.add((await enqueueJob(t.db, clock, { kind: 'count', payload: { i } })).id);
    const runs = new Map<string, number>();
    const handler: JobHandler = async ({ job }) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
    };
    const a = createJobRunner({ db: t.db, clock, handlers: { count: handler }, concurrency: 3, pollMs: 5 });
    const b = createJobRunner({ db: t.db, clock, handlers: { count: handler }, concurrency: 3, pollMs: 5 });
    a.start();
    b.start();
    await expect
      .poll(async () => (await t.db.selectFrom('jobs').select('id').where('status', '=', 'succeeded').execute()).length, {
        timeout: 10_000,
      })
      .toBe(12);
    await Promise.all([a.stop(), b.stop()]);
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it('puts a job back in the queue, its attempt not counted, when the worker stops', async () => {
    const job = await enqueueJob(t.db, clock, { kind: 'slow', payload: {} });
    const runner = createJobRunner({
      db: t.db,
      clock,
      handlers: {
        slow: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
      },
      pollMs: 5,
    });
    runner.start();
    await expect.poll(async () => (await findJob(t.db, job.id))?.status).toBe('running');
    await runner.stop();
    expect(await findJob(t.db, job.id)).toMatchObject({ status: 'queued', attempts: 0, lease_token: null });
  });

  it('runs a job of one lane while a long job holds the other, and stops both lanes', async () => {
    const slow = await enqueueJob(t.db, clock, { kind: 'batch', payload: {} });
    const quick = await enqueueJob(t.db, clock, { kind: 'ocr', payload: {} });
    const lane = (handlers: Record<string, JobHandler>) => createJobRunner({ db: t.db, clock, handlers, concurrency: 1, pollMs: 5 });
    const runner = combineJobRunners([
      lane({
        batch: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
      }),
      lane({ ocr: () => Promise.resolve({ pages: 1 }) }),
    ]);
    runner.start();
    await expect.poll(async () => (await findJob(t.db, slow.id))?.status).toBe('running');
    await expect.poll(async () => (await findJob(t.db, quick.id))?.status).toBe('succeeded');
    expect(runner.running).toBe(1);
    await runner.stop();
    expect(await findJob(t.db, slow.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('starts nothing once stopped: a job claimed during stop goes back to the queue unstarted', async () => {
    const job = await enqueueJob(t.db, clock, { kind: 'never', payload: {} });
    let started = 0;
    const runner = createJobRunner({ db: t.db, clock, handlers: { never: () => Promise.resolve(++started) }, pollMs: 5 });
    await runner.stop();
    expect(await runner.runOnce()).toBe(false);
    runner.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toBe(0);
    expect(await findJob(t.db, job.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
