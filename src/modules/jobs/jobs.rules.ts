/**
 * Pure rules of the job queue: statuses, retry backoff, lease arithmetic. No database, clock or environment.
 */
export const JobStatus = {
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

export interface RetryPolicy {
  /** Delay before the second attempt; each later attempt waits twice as long as the one before. */
  baseDelayMs: number;
  /** No retry waits longer than this. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 15 * 60_000 };

/**
 * The delay before the next attempt after `attempts` attempts have failed: exponential (base × 2^(attempts−1)),
 * capped, with up to 20% jitter taken from `random` (0 ≤ random < 1) so that jobs failing together do not retry
 * together.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: number): number {
  const exp = policy.baseDelayMs * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(policy.maxDelayMs, exp);
  return Math.round(capped * (1 - 0.2 * random));
}

/** What becomes of a job whose attempt failed: tried again later, or failed for good once it has no attempts left. */
export function afterFailure(
  job: { attempts: number; maxAttempts: number },
  now: Date,
  policy: RetryPolicy,
  random: number,
): { status: 'queued'; runAfter: string } | { status: 'failed' } {
  if (job.attempts >= job.maxAttempts) return { status: JobStatus.failed };
  return { status: JobStatus.queued, runAfter: new Date(now.getTime() + retryDelayMs(job.attempts, policy, random)).toISOString() };
}

/** Progress as a fraction in [0, 1] (NaN and out-of-range values clamped), for the job list's bar. */
export function clampProgress(p: number): number {
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
}

/** A job's error as stored: the first line of its message, at most 500 characters (messages carry no PHI). */
export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n')[0] ?? '').slice(0, 500);
}
