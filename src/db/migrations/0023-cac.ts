import type { Kysely } from 'kysely';

/**
 * Computer-assisted coding decisions (issue 25, src/modules/cac): each code a coder accepted or rejected from the
 * suggestions for an encounter, with the evidence it was suggested on (document, version, character span, the words),
 * the score and rank it had then, the reason for a rejection, who and when. Rows lead their key with patient_id and
 * follow their encounter in an MPI merge.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cac_decisions')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    /** ICD-10-CM or ICD-10-PCS code, without the dot. */
    .addColumn('code', 'text', (c) => c.notNull())
    /** cm | pcs. */
    .addColumn('system', 'text', (c) => c.notNull())
    /** accepted | rejected. */
    .addColumn('decision', 'text', (c) => c.notNull())
    /** Required for a rejection. */
    .addColumn('reason', 'text')
    /** accepted as: principal | secondary | procedure (null for a rejection). */
    .addColumn('accepted_as', 'text')
    .addColumn('evidence_document_id', 'text')
    .addColumn('evidence_version', 'integer')
    .addColumn('evidence_start', 'integer')
    .addColumn('evidence_end', 'integer')
    .addColumn('evidence_text', 'text')
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cac_decisions_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('cac_decisions_id').on('cac_decisions').column('id').unique().execute();
  await db.schema.createIndex('cac_decisions_encounter').on('cac_decisions').columns(['patient_id', 'encounter_id']).execute();
  await db.schema.createIndex('cac_decisions_decided').on('cac_decisions').columns(['decided_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cac_decisions').execute();
}
