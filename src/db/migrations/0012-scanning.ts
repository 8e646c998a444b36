import type { Kysely } from 'kysely';

/**
 * Intake scanning (src/modules/scanning): the barcoded cover sheets printed for a patient (and encounter) and
 * document type, the scanned batches claimed from the inbox, and each page of a batch with its outcome (filed into a
 * document, a cover sheet, waiting in the QA queue with its reason, or discarded with a reason).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scan_cover_sheets')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text')
    .addColumn('type_code', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scan_cover_sheets_pk', ['patient_id', 'id'])
    .execute();
  // A decoded sheet is found by its id alone (the token on the paper carries it).
  await db.schema.createIndex('scan_cover_sheets_id').on('scan_cover_sheets').column('id').unique().execute();

  await db.schema
    .createTable('scan_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('stored_path', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('format', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('page_count', 'integer')
    .addColumn('job_id', 'text')
    .addColumn('error', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('scan_batches_received').on('scan_batches').column('received_at').execute();

  await db.schema
    .createTable('scan_pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('page', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('sheet_id', 'text')
    .addColumn('document_id', 'text')
    .addColumn('media_type', 'text')
    .addColumn('content_sha256', 'text')
    .addColumn('thumbnail_sha256', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // A page of a batch is recorded once: a batch job run again after a crash skips the pages already recorded.
  await db.schema.createIndex('scan_pages_batch_page').on('scan_pages').columns(['batch_id', 'page']).unique().execute();
  await db.schema.createIndex('scan_pages_status').on('scan_pages').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scan_pages').execute();
  await db.schema.dropTable('scan_batches').execute();
  await db.schema.dropTable('scan_cover_sheets').execute();
}
