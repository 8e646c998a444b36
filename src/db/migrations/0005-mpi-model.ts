import type { Kysely } from 'kysely';

/**
 * Fellegi–Sunter models fitted to the stored patient population (m by EM, u on random pairs, prior from the EM
 * match rate), one row per fit. The live matcher uses the latest active one; none active means the default
 * model. `model` is the JSON of the core's `MatchModel`: aggregate probabilities, no patient data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mpi_models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fitted_at', 'text', (c) => c.notNull())
    .addColumn('fitted_by', 'text', (c) => c.notNull())
    .addColumn('patient_count', 'integer', (c) => c.notNull())
    .addColumn('candidate_pairs', 'integer', (c) => c.notNull())
    .addColumn('random_pairs', 'integer', (c) => c.notNull())
    .addColumn('estimated_matches', 'double precision', (c) => c.notNull())
    .addColumn('iterations', 'integer', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mpi_models_active').on('mpi_models').columns(['active', 'fitted_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mpi_models').execute();
}
