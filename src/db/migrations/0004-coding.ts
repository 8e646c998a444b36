import type { Kysely } from 'kysely';

/**
 * The coding workspace (issue 6):
 * - coding_abstracts: one row per encounter once a coder touches it (assignment, draft, final); the abstract
 *   itself (diagnoses with POA, procedures, discharge status, birth weight) is JSON text in `data`;
 * - coding_abstract_versions: every saved draft, final coding, reopening and audit recoding, never updated;
 * - encounter_documents: clinical text a coder cites (notes, results, query answers) until the documents issue
 *   brings document management;
 * - physician_queries: AHIMA/ACDIS compliant queries with their clinical indicators, answer and signature;
 * - notifications: per-user messages (a query was answered);
 * - coding_audits: an auditor's blind re-abstraction and its code-level agreement with the coder.
 * Encounter references carry patient_id and encounter_id without a foreign key, so an MPI merge that moves an
 * encounter is not blocked by coding rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('coding_abstracts')
    .addColumn('encounter_id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('assigned_to', 'text')
    .addColumn('assigned_at', 'text')
    .addColumn('working_drg', 'text')
    .addColumn('working_drg_title', 'text')
    .addColumn('final_drg', 'text')
    .addColumn('coded_by', 'text')
    .addColumn('coded_at', 'text')
    .addColumn('query_answered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('coding_abstracts_status').on('coding_abstracts').columns(['status', 'assigned_to']).execute();
  await db.schema.createIndex('coding_abstracts_coded').on('coding_abstracts').columns(['coded_by', 'coded_at']).execute();

  await db.schema
    .createTable('coding_abstract_versions')
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('drg', 'text')
    .addColumn('reason', 'text')
    .addColumn('saved_by', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('coding_abstract_versions_pk', ['encounter_id', 'version'])
    .execute();

  await db.schema
    .createTable('encounter_documents')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('authored_at', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('encounter_documents_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('encounter_documents_encounter').on('encounter_documents').columns(['encounter_id', 'authored_at']).execute();

  await db.schema
    .createTable('physician_queries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text')
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('indicators', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('drg_at_send', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('escalated_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answer_choice', 'text')
    .addColumn('answer_text', 'text')
    .addColumn('agreed', 'integer')
    .addColumn('signature', 'text')
    .execute();
  await db.schema.createIndex('physician_queries_encounter').on('physician_queries').column('encounter_id').execute();
  await db.schema.createIndex('physician_queries_provider').on('physician_queries').columns(['provider_id', 'status']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text')
    .addColumn('encounter_id', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'read_at']).execute();

  await db.schema
    .createTable('coding_audits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    .addColumn('auditor_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('drg', 'text')
    .addColumn('coder_version', 'integer', (c) => c.notNull())
    .addColumn('agreement', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .execute();
  await db.schema.createIndex('coding_audits_encounter').on('coding_audits').column('encounter_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'coding_audits',
    'notifications',
    'physician_queries',
    'encounter_documents',
    'coding_abstract_versions',
    'coding_abstracts',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
