import type { Kysely } from 'kysely';

/**
 * Which blocking keys patient_match_keys holds: one row (id 1) with the key version of src/core/matching
 * (BLOCKING_KEY_VERSION) and a fingerprint of the hashing secret. When the application's differ (new keys, a
 * new encryption key), the stored keys are rebuilt at start-up (see src/modules/patients/README.md). No row
 * means keys of an earlier version (before this migration), so a database that already has patients is rebuilt.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mpi_match_key_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('key_version', 'text', (c) => c.notNull())
    .addColumn('rebuilt_at', 'text', (c) => c.notNull())
    .addColumn('patient_count', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mpi_match_key_state').execute();
}
