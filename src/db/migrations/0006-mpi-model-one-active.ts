import { sql, type Kysely } from 'kysely';

/**
 * At most one fitted MPI model is active: a partial unique index, so that two administrators changing the model
 * at the same moment cannot both leave theirs active (the second change fails and is answered 409). A database
 * where that already happened keeps the newest active fit, the one the live matcher was using.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update mpi_models set active = 0 where active = 1 and id <> (select id from mpi_models where active = 1 order by fitted_at desc, id desc limit 1)`.execute(
    db,
  );
  await db.schema
    .createIndex('mpi_models_one_active')
    .on('mpi_models')
    .column('active')
    .unique()
    .where(sql.ref('active'), '=', 1)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('mpi_models_one_active').execute();
}
