/** SQL of the job queue (table `jobs`, owned by this module); every function takes the database or a transaction first. */
import { PostgresAdapter, sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { JobTable } from '../../db/schema.js';
import { JobStatus } from './jobs.rules.js';

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/** Inserts a job; with a dedupe key already taken, nothing is inserted and the existing job is answered. */
export async function insertJob(db: Db, row: JobTable): Promise<JobTable> {
  if (row.dedupe_key !== null) {
    await db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
    return await db.selectFrom('jobs').selectAll().where('dedupe_key', '=', row.dedupe_key).executeTakeFirstOrThrow();
  }
  await db.insertInto('jobs').values(row).execute();
  return row;
}

/**
 * Claims the next runnable job of the given kinds — queued and due, or running with a lapsed lease (its worker
 * died) — highest priority first, then the longest waiting; gives it a new lease and counts the attempt. One
 * statement: on PostgreSQL the candidate row is locked with `for update skip locked`, so concurrent workers take
 * different jobs; SQLite has one writer at a time.
 */
export async function claimNextJob(
  db: Db,
  kinds: readonly string[],
  lease: { token: string; until: string },
  nowIso: string,
): Promise<JobTable | undefined> {
  if (kinds.length === 0) return undefined;
  const lock = isPostgres(db) ? sql` for update skip locked` : sql``;
  const kindList = sql.join(kinds.map((k) => sql`${k}`));
  const r = await sql<JobTable>`
    update jobs set status = ${JobStatus.running}, lease_token = ${lease.token}, lease_until = ${lease.until}, attempts = attempts + 1,
      started_at = coalesce(started_at, ${nowIso}), updated_at = ${nowIso}
    where id = (
      select id from jobs
      where kind in (${kindList}) and ((status = ${JobStatus.queued} and run_after <= ${nowIso}) or (status = ${JobStatus.running} and lease_until < ${nowIso}))
      order by priority desc, run_after, id
      limit 1${lock}
    )
    returning *`.execute(db);
  return r.rows[0];
}

/** Renews the lease of a job this worker holds; false when the lease was lost (the job was claimed again). */
export async function renewLease(
  db: Db,
  id: string,
  token: string,
  until: string,
  nowIso: string,
  progress?: { value: number; note: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ lease_until: until, updated_at: nowIso, ...(progress ? { progress: progress.value, progress_note: progress.note } : {}) })
    .where('id', '=', id)
    .where('lease_token', '=', token)
    .where('status', '=', JobStatus.running)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends an attempt (only while this worker holds the lease): succeeded, failed for good, or queued again for later. */
export async function finishAttempt(db: Db, id: string, token: string, set: Partial<JobTable>): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ ...set, lease_token: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_token', '=', token)
    .where('status', '=', JobStatus.running)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findJob(db: Db, id: string): Promise<JobTable | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface JobFilter {
  status?: string | undefined;
  kind?: string | undefined;
  patientId?: string | undefined;
  createdBy?: string | undefined;
}

/** Jobs newest first (keyset by created_at and id). */
export async function listJobs(db: Db, f: JobFilter, limit: number): Promise<JobTable[]> {
  let q = db.selectFrom('jobs').selectAll();
  if (f.status) q = q.where('status', '=', f.status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.patientId) q = q.where('patient_id', '=', f.patientId);
  if (f.createdBy) q = q.where('created_by', '=', f.createdBy);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function countJobsByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Cancels a job that is not running yet (a running job finishes its attempt first). */
export async function cancelQueuedJob(db: Db, id: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ status: JobStatus.cancelled, finished_at: nowIso, updated_at: nowIso })
    .where('id', '=', id)
    .where('status', '=', JobStatus.queued)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Queues a failed job again, with its attempts counted afresh. */
export async function requeueFailedJob(db: Db, id: string, nowIso: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ status: JobStatus.queued, attempts: 0, run_after: nowIso, last_error: null, finished_at: null, updated_at: nowIso })
    .where('id', '=', id)
    .where('status', '=', JobStatus.failed)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
