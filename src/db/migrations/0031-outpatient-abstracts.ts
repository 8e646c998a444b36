import type { Kysely } from 'kysely';

/**
 * The stored outpatient abstract (issue 17, src/modules/outpatient): one per outpatient, emergency, observation or
 * clinic encounter once a coder touches it; the codes (first-listed and other diagnoses, service lines with modifiers,
 * units, dates, revenue codes and pointers, the E/M level and its basis) are JSON text in `data`. Every saved draft,
 * final coding and reopening is a row of outpatient_abstract_versions, never updated. As the inpatient abstract
 * (0004), rows carry patient_id and encounter_id without a foreign key, so an MPI merge that moves the encounter is
 * not blocked; the outpatient module's merge participant moves them with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outpatient_abstracts')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('em_code', 'text')
    .addColumn('coded_by', 'text')
    .addColumn('coded_at', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outpatient_abstracts_pk', ['patient_id', 'encounter_id'])
    .execute();
  await db.schema.createIndex('outpatient_abstracts_encounter').on('outpatient_abstracts').column('encounter_id').execute();
  await db.schema.createIndex('outpatient_abstracts_status').on('outpatient_abstracts').columns(['status', 'coded_at']).execute();

  await db.schema
    .createTable('outpatient_abstract_versions')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('saved_by', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outpatient_abstract_versions_pk', ['patient_id', 'encounter_id', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outpatient_abstract_versions').execute();
  await db.schema.dropTable('outpatient_abstracts').execute();
}
