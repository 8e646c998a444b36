/**
 * The durable job queue: work is enqueued in the caller's transaction (so it exists exactly when the change that
 * asks for it commits), claimed under a lease that the worker renews while it runs, retried with exponential
 * backoff, and claimed again by another worker (or after a restart) when its worker died. A worker that lost its
 * lease cannot record an outcome: at most one attempt of a job is ever running.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, JobTable } from '../../db/schema.js';
import type { Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import * as repo from './jobs.repository.js';
import { afterFailure, clampProgress, defaultRetryPolicy, errorText, JobStatus, type RetryPolicy } from './jobs.rules.js';

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  patientId: string | null;
  attempts: number;
  maxAttempts: number;
  progress: number | null;
  progressNote: string | null;
  lastError: string | null;
  result: unknown;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  runAfter: string;
}

export function toJobView(j: JobTable): JobView {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status as JobStatus,
    patientId: j.patient_id,
    attempts: j.attempts,
    maxAttempts: j.max_attempts,
    progress: j.progress,
    progressNote: j.progress_note,
    lastError: j.last_error,
    result: j.result === null ? null : (JSON.parse(j.result) as unknown),
    createdBy: j.created_by,
    createdAt: j.created_at,
    startedAt: j.started_at,
    finishedAt: j.finished_at,
    runAfter: j.run_after,
  };
}

export interface NewJob {
  kind: string;
  /** Ids and options only (it shows in the job list): never names or other PHI. */
  payload: Record<string, unknown>;
  patientId?: string | null;
  dedupeKey?: string | null;
  priority?: number;
  maxAttempts?: number;
  runAfter?: Date;
  createdBy?: string | null;
}

/** Enqueues a job in the caller's transaction (or on its own). With a dedupe key already used, answers that job. */
export async function enqueueJob(db: Db, clock: Clock, job: NewJob): Promise<JobView> {
  const now = clock.now().toISOString();
  const row: JobTable = {
    id: newId(),
    kind: job.kind,
    payload: JSON.stringify(job.payload),
    patient_id: job.patientId ?? null,
    dedupe_key: job.dedupeKey ?? null,
    status: JobStatus.queued,
    priority: job.priority ?? 0,
    attempts: 0,
    max_attempts: Math.max(1, job.maxAttempts ?? 5),
    run_after: (job.runAfter ?? clock.now()).toISOString(),
    lease_token: null,
    lease_until: null,
    progress: null,
    progress_note: null,
    last_error: null,
    result: null,
    created_by: job.createdBy ?? null,
    created_at: now,
    started_at: null,
    finished_at: null,
    updated_at: now,
  };
  return toJobView(await repo.insertJob(db, row));
}

/** A failure that retrying cannot cure (an unreadable file, a missing record): the job fails at once. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

export interface JobContext {
  job: JobView;
  payload: Record<string, unknown>;
  /** Reports progress (0..1) with an optional note (no PHI); it also renews the lease. */
  progress: (value: number, note?: string) => Promise<void>;
  /** Aborted when the worker stops or its lease on the job was lost: stop early, the outcome will not be kept. */
  signal: AbortSignal;
}

/** Runs one job's attempt; what it resolves to is kept as the job's result (JSON). */
export type JobHandler = (ctx: JobContext) => Promise<unknown>;

export interface JobRunnerOptions {
  db: Kysely<Database>;
  clock: Clock;
  handlers: Readonly<Record<string, JobHandler>>;
  /** Attempts running at once in this process (default 2). */
  concurrency?: number;
  /** How long a claim lasts without renewal (default 60 s); renewed every third of it while the job runs. */
  leaseMs?: number;
  /** How often an idle worker looks for due jobs (default 1 s); `wake()` looks at once. */
  pollMs?: number;
  retry?: RetryPolicy;
  /** Source of jitter (default Math.random). */
  random?: () => number;
  /** Told about jobs that failed an attempt or lost their lease (ids and error text only). */
  onEvent?: (e: { jobId: string; kind: string; event: 'failed_attempt' | 'failed' | 'lease_lost' | 'succeeded'; error?: string }) => void;
}

export interface JobRunner {
  /** Starts polling for work. */
  start(): void;
  /** Looks for work now (after an enqueue in this process). */
  wake(): void;
  /** Claims and runs at most one due job; true when one ran. For tests and one-shot commands. */
  runOnce(): Promise<boolean>;
  /** Stops claiming, aborts the running attempts' signals and waits for them to return. */
  stop(): Promise<void>;
  /** Attempts running now. */
  readonly running: number;
}

export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 1_000;
  const retry = opts.retry ?? defaultRetryPolicy;
  const random = opts.random ?? Math.random;
  const kinds = Object.keys(opts.handlers);
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  /** The claim loop in progress, if any (one at a time; stop() waits for it). */
  let looking: Promise<void> | null = null;

  const leaseUntil = () => new Date(opts.clock.now().getTime() + leaseMs).toISOString();

  // A function, not the property: TypeScript would keep a property's narrowing across the awaits of an attempt.
  const isStopping = () => stopping.signal.aborted;

  async function runClaimed(row: JobTable, token: string): Promise<void> {
    if (isStopping()) {
      // Claimed while stop() was under way: back to the queue at once, never started, the attempt not counted.
      const now = opts.clock.now().toISOString();
      await repo.finishAttempt(opts.db, row.id, token, {
        status: JobStatus.queued,
        run_after: now,
        attempts: row.attempts - 1,
        updated_at: now,
      });
      return;
    }
    const job = toJobView(row);
    const handler = opts.handlers[row.kind]!;
    const abort = new AbortController();
    const onStop = () => abort.abort();
    stopping.signal.addEventListener('abort', onStop);
    // An object, not a `let`: the flag is set inside `renew` while the attempt runs (TypeScript narrows a `let` to false).
    const lease = { lost: false };
    const renew = async (progress?: { value: number; note: string | null }) => {
      if (lease.lost) return;
      const ok = await repo.renewLease(opts.db, row.id, token, leaseUntil(), opts.clock.now().toISOString(), progress).catch(() => true);
      if (!ok) {
        lease.lost = true;
        abort.abort();
        opts.onEvent?.({ jobId: row.id, kind: row.kind, event: 'lease_lost' });
      }
    };
    const heartbeat = setInterval(() => void renew(), Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    try {
      const ctx: JobContext = {
        job,
        payload: JSON.parse(row.payload) as Record<string, unknown>,
        signal: abort.signal,
        progress: (value, note) => renew({ value: clampProgress(value), note: note ?? null }),
      };
      const result = await handler(ctx);
      clearInterval(heartbeat);
      if (lease.lost) return;
      const now = opts.clock.now().toISOString();
      await repo.finishAttempt(opts.db, row.id, token, {
        status: JobStatus.succeeded,
        progress: 1,
        result: JSON.stringify(result ?? null),
        last_error: null,
        finished_at: now,
        updated_at: now,
      });
      opts.onEvent?.({ jobId: row.id, kind: row.kind, event: 'succeeded' });
    } catch (e) {
      clearInterval(heartbeat);
      if (lease.lost) return;
      const now = opts.clock.now();
      if (isStopping()) {
        // Stopped mid-attempt (shutdown): the job goes back to the queue at once, the attempt not counted.
        await repo.finishAttempt(opts.db, row.id, token, {
          status: JobStatus.queued,
          run_after: now.toISOString(),
          attempts: row.attempts - 1,
          updated_at: now.toISOString(),
        });
        return;
      }
      const permanent = e instanceof PermanentJobError;
      const next = permanent
        ? ({ status: 'failed' } as const)
        : afterFailure({ attempts: row.attempts, maxAttempts: row.max_attempts }, now, retry, random());
      const error = errorText(e);
      await repo.finishAttempt(
        opts.db,
        row.id,
        token,
        next.status === 'failed'
          ? { status: JobStatus.failed, last_error: error, finished_at: now.toISOString(), updated_at: now.toISOString() }
          : { status: JobStatus.queued, run_after: next.runAfter, last_error: error, updated_at: now.toISOString() },
      );
      opts.onEvent?.({ jobId: row.id, kind: row.kind, event: next.status === 'failed' ? 'failed' : 'failed_attempt', error });
    } finally {
      clearInterval(heartbeat);
      stopping.signal.removeEventListener('abort', onStop);
    }
  }

  async function claimAndRun(): Promise<boolean> {
    if (stopping.signal.aborted || inFlight.size >= concurrency) return false;
    const token = randomUUID();
    const row = await repo.claimNextJob(opts.db, kinds, { token, until: leaseUntil() }, opts.clock.now().toISOString());
    if (!row) return false;
    const p = runClaimed(row, token).finally(() => {
      inFlight.delete(p);
      runner.wake();
    });
    inFlight.add(p);
    return true;
  }

  function look(): Promise<void> {
    looking ??= (async () => {
      try {
        while (inFlight.size < concurrency && (await claimAndRun()));
      } catch (e) {
        opts.onEvent?.({ jobId: '', kind: '', event: 'failed_attempt', error: errorText(e) });
      } finally {
        looking = null;
      }
    })();
    return looking;
  }

  const runner: JobRunner = {
    start() {
      if (timer || stopping.signal.aborted) return;
      timer = setInterval(() => void look(), pollMs);
      timer.unref();
      void look();
    },
    wake() {
      if (timer) void look();
    },
    async runOnce() {
      if (stopping.signal.aborted) return false;
      const token = randomUUID();
      const row = await repo.claimNextJob(opts.db, kinds, { token, until: leaseUntil() }, opts.clock.now().toISOString());
      if (!row) return false;
      await runClaimed(row, token);
      return true;
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      stopping.abort();
      await looking;
      await Promise.allSettled([...inFlight]);
    },
    get running() {
      return inFlight.size;
    },
  };
  return runner;
}

/**
 * Several runners as one, each with its own kinds (lanes): a long job of one lane (a 200-page scanned batch) never
 * holds up the jobs of another (OCR of an uploaded page). start, wake and stop reach every lane; runOnce runs at most
 * one job of each lane.
 */
export function combineJobRunners(lanes: readonly JobRunner[]): JobRunner {
  return {
    start: () => {
      for (const l of lanes) l.start();
    },
    wake: () => {
      for (const l of lanes) l.wake();
    },
    runOnce: async () => (await Promise.all(lanes.map((l) => l.runOnce()))).some(Boolean),
    stop: async () => {
      await Promise.all(lanes.map((l) => l.stop()));
    },
    get running() {
      return lanes.reduce((n, l) => n + l.running, 0);
    },
  };
}
