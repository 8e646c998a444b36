import type { Kysely } from 'kysely';

/**
 * MS-DRG relative weights (issue 24, src/modules/reports): CMS Table 5 of the IPPS final rule, one row per fiscal
 * year and MS-DRG, imported with `custodian drg import-weights FILE`. The case mix index uses them when present;
 * without them the reports compute hospital-specific weights from the hospital's own charges and say so. No patient data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('drg_weights')
    /** Federal fiscal year (FY 2026 = discharges 2025-10-01 .. 2026-09-30). */
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    /** Three-digit MS-DRG. */
    .addColumn('drg', 'text', (c) => c.notNull())
    .addColumn('mdc', 'text')
    .addColumn('drg_type', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('weight', 'real', (c) => c.notNull())
    .addColumn('geometric_mean_los', 'real')
    .addColumn('arithmetic_mean_los', 'real')
    .addColumn('source_file', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('drg_weights_pk', ['fiscal_year', 'drg'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('drg_weights').execute();
}
