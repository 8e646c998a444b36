import type { Kysely } from 'kysely';

/**
 * The durable job queue (src/modules/jobs): slow work (OCR, scanned-batch imports, re-indexing) that must survive a
 * restart, retry with backoff and never run twice at once. A claimed job holds a lease (owner token and expiry)
 * that its worker renews; a job whose lease ran out (its process died) is claimed again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('lease_token', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('progress', 'real')
    .addColumn('progress_note', 'text')
    .addColumn('last_error', 'text')
    .addColumn('result', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The claim looks for the next runnable job: queued and due, or running with a lapsed lease.
  await db.schema.createIndex('jobs_runnable').on('jobs').columns(['status', 'run_after']).execute();
  await db.schema.createIndex('jobs_kind').on('jobs').columns(['kind', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jobs').ifExists().execute();
}
