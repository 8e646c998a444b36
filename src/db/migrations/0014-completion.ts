import type { Kysely } from 'kysely';

/**
 * Chart completion (src/modules/completion, issue 18): the facility's completion settings (medical staff bylaws),
 * one completion record per analysed encounter (its status), the deficiencies of each record and the history of
 * each (reassigned, waived, disputed, with the reason), and two document types the rules ask for (anesthesia record,
 * verbal or telephone order). The tables of one patient's rows lead their primary key with patient_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('completion_settings')
    .addColumn('facility_id', 'text', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('completion_records')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    .addColumn('facility_id', 'text', (c) => c.notNull())
    .addColumn('discharge_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outstanding_count', 'integer', (c) => c.notNull())
    .addColumn('pending_count', 'integer', (c) => c.notNull())
    .addColumn('analysed_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('completion_records_pk', ['patient_id', 'encounter_id'])
    .execute();
  await db.schema.createIndex('completion_records_encounter').on('completion_records').column('encounter_id').unique().execute();
  // The worklist and the delinquency list: incomplete records by discharge date.
  await db.schema.createIndex('completion_records_status').on('completion_records').columns(['status', 'discharge_at']).execute();

  await db.schema
    .createTable('deficiencies')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('requirement', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text')
    .addColumn('document_type_code', 'text', (c) => c.notNull())
    .addColumn('responsible_provider_id', 'text')
    .addColumn('citation', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('page_ref', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('reason', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deficiencies_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('deficiencies_encounter').on('deficiencies').columns(['encounter_id', 'status']).execute();
  // The physician's inbox: open deficiencies, oldest first.
  await db.schema
    .createIndex('deficiencies_inbox')
    .on('deficiencies')
    .columns(['responsible_provider_id', 'status', 'created_at'])
    .execute();
  await db.schema.createIndex('deficiencies_document').on('deficiencies').column('document_id').execute();

  await db.schema
    .createTable('deficiency_events')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('deficiency_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_provider_id', 'text')
    .addColumn('to_provider_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('by_user', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deficiency_events_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('deficiency_events_deficiency').on('deficiency_events').columns(['patient_id', 'deficiency_id']).execute();

  // The analysis reads an encounter and its documents by encounter id (their keys lead with patient_id).
  await db.schema.createIndex('encounters_id').on('encounters').column('id').execute();
  await db.schema.createIndex('documents_encounter').on('documents').column('encounter_id').execute();

  const at = '2026-12-07T00:00:00.000Z';
  await (db as Kysely<{ document_types: Record<string, unknown> }>)
    .insertInto('document_types')
    .values(
      [
        ['ANES', 'Anesthesia record'],
        ['VO', 'Verbal or telephone order'],
      ].map(([code, name]) => ({
        code,
        name,
        loinc_code: null,
        category: 'clinical',
        requires_cosign: 0,
        default_confidentiality: '[]',
        active: 1,
        updated_at: at,
      })),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('encounters_id').ifExists().execute();
  await db.schema.dropIndex('documents_encounter').ifExists().execute();
  for (const t of ['deficiency_events', 'deficiencies', 'completion_records', 'completion_settings'])
    await db.schema.dropTable(t).ifExists().execute();
  await (db as Kysely<{ document_types: { code: string } }>).deleteFrom('document_types').where('code', 'in', ['ANES', 'VO']).execute();
}
