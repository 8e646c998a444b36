/** The durable job queue: enqueue in a transaction, run with leases, retry with backoff. */
export {
  enqueueJob,
  createJobRunner,
  combineJobRunners,
  toJobView,
  PermanentJobError,
  type JobView,
  type NewJob,
  type JobContext,
  type JobHandler,
  type JobRunner,
  type JobRunnerOptions,
} from './jobs.service.js';
export { JobStatus, defaultRetryPolicy, retryDelayMs, afterFailure, type RetryPolicy } from './jobs.rules.js';
export { jobRoutes } from './jobs.routes.js';
