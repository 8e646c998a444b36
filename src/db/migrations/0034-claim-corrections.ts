import type { Kysely } from 'kysely';

/**
 * Corrected and secondary claims (issue 20):
 * - `claims.prior_submissions`: what was sent before a replacement (frequency 7) or void (8) claim took the claim's
 *   place (JSON list: frequency, ISA13/ST02, release time, total, the payer's claim control number). The claim keeps
 *   its id and CLM01, so the payer's reversal of the original and its payment of the replacement post to it.
 * - `remittance_postings.adjudication`: the 835's split of a posting into claim-level CAS and service lines (SVC with
 *   their CAS and dates), in cents, for the 2320 and 2430 loops of a secondary claim. Null on postings made before.
 * Neither carries a patient id: both hang off a claim, which a merge keeps.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('claims')
    .addColumn('prior_submissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('remittance_postings').addColumn('adjudication', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('remittance_postings').dropColumn('adjudication').execute();
  await db.schema.alterTable('claims').dropColumn('prior_submissions').execute();
}
