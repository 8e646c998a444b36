import type { Kysely } from 'kysely';

/**
 * The research extract log (issue 24, src/modules/research): every extract made, who made it and when, the cohort,
 * the purpose, the IRB/privacy-board reference, the de-identification method and the data use agreement of a
 * limited data set (45 CFR 164.514(e)(4)), and how many rows left. It holds no patient ids: the extract's rows are
 * not kept, and nothing here links a study id to a record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('research_extracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cohort', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('irb_reference', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('data_use_agreement', 'text')
    .addColumn('include_notes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('research_extracts_created').on('research_extracts').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('research_extracts').execute();
}
