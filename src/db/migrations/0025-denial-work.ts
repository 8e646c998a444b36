import type { Kysely } from 'kysely';

/**
 * Denial work (issue 20, src/modules/claims, claims-work.*): what a biller did about a denied claim, one row per step
 * (a note, an appeal, a corrected claim sent, a write-off, closing or reopening it), each with the denial's work
 * status after it. A write-off carries its amount in integer cents and lowers the claim's A/R balance.
 *
 * No patient_id: rows hang off `claims.id`, which an MPI merge keeps (the claim moves with its encounter), so they
 * follow their claim without a merge participant, like the remittance tables of 0022.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('claim_denial_work')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
    /** note | appeal | resubmit | write_off | close | reopen. */
    .addColumn('action', 'text', (c) => c.notNull())
    /** open | appealed | resubmitted | written_off | closed: the denial's status after this step. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    /** write_off only: the amount written off. */
    .addColumn('amount_cents', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('claim_denial_work_claim').on('claim_denial_work').columns(['claim_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('claim_denial_work').execute();
}
