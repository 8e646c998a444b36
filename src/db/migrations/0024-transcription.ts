import type { Kysely } from 'kysely';

/**
 * Dictation and transcription (issue 23, src/modules/transcription): each dictation (patient, encounter, work type,
 * dictating physician, priority, turnaround due time, its audio in the encrypted blob store), its recognized draft
 * (text with word timings and confidences), the saved versions of its text (autosaves, send, signature) and the HL7
 * MDM^T02 messages of signed reports waiting to be sent. Patient rows lead their key with patient_id and follow the
 * patient in an MPI merge; the outbox is keyed by the dictation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dictations')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text')
    /** A document type code of the documents module (HP, DS, OP, CN, PN, ...). */
    .addColumn('work_type', 'text', (c) => c.notNull())
    /** routine | stat. */
    .addColumn('priority', 'text', (c) => c.notNull())
    /** dictated | recognizing | draft | in_transcription | awaiting_signature | signed | failed. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dictated_by', 'text', (c) => c.notNull())
    .addColumn('dictated_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('audio_sha256', 'text', (c) => c.notNull())
    .addColumn('audio_media_type', 'text', (c) => c.notNull())
    .addColumn('audio_bytes', 'integer', (c) => c.notNull())
    .addColumn('duration_seconds', 'real')
    .addColumn('engine', 'text')
    /** The recognized draft: JSON [{word, start, end, confidence}]. */
    .addColumn('draft_words', 'text')
    .addColumn('draft_text', 'text')
    /** The current text (the draft, then each saved edit). */
    .addColumn('text', 'text')
    .addColumn('text_version', 'integer', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('recognized_at', 'text')
    .addColumn('transcribed_at', 'text')
    .addColumn('transcribed_by', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('signed_by', 'text')
    .addColumn('document_id', 'text')
    .addColumn('line_count', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dictations_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('dictations_id').on('dictations').column('id').unique().execute();
  await db.schema.createIndex('dictations_queue').on('dictations').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('dictations_dictated_by').on('dictations').columns(['dictated_by', 'status']).execute();
  await db.schema
    .createTable('dictation_versions')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('dictation_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    /** draft | autosave | send | sign. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dictation_versions_pk', ['patient_id', 'dictation_id', 'version'])
    .execute();
  await db.schema
    .createTable('transcription_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dictation_id', 'text', (c) => c.notNull())
    .addColumn('control_id', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    /** pending | sent | failed. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('ack_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('transcription_outbox_pending').on('transcription_outbox').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('transcription_outbox').execute();
  await db.schema.dropTable('dictation_versions').execute();
  await db.schema.dropTable('dictations').execute();
}
