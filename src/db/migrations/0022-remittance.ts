import type { Kysely } from 'kysely';

/**
 * Remittance posting (issue 20, src/modules/claims, claims-remit.*): the 835 files received (a file is refused when
 * its SHA-256 was received before), each payment (835 transaction) in them, what each CLP posted to a claim (with its
 * CARC/RARC codes and the link from a reversal to the posting it reverses), provider-level adjustments (PLB), the
 * unmatched-remittance queue, and claim acknowledgements (999/277CA) against claims.
 *
 * No table here carries patient_id: postings and acknowledgements hang off `claims.id`, which an MPI merge keeps (the
 * claim moves with its encounter, its id stays), so they follow their claim without a merge participant. Amounts are
 * integer cents.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('remittance_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('transaction_count', 'integer', (c) => c.notNull())
    /** posted | refused (nothing posted: every payment unbalanced or the file unreadable). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('remittances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_id', 'text', (c) => c.notNull().references('remittance_files.id'))
    /** ST02. */
    .addColumn('control_number', 'text', (c) => c.notNull())
    .addColumn('payer_name', 'text', (c) => c.notNull())
    /** 1000A N104 (payer identifier). */
    .addColumn('payer_code', 'text', (c) => c.notNull())
    /** TRN02 check or EFT trace number. */
    .addColumn('trace', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('payment_date', 'text', (c) => c.notNull())
    .addColumn('balanced', 'integer', (c) => c.notNull())
    /** posted | refused (unbalanced: TR3 1.10.2.1.3). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('remittances_file').on('remittances').column('file_id').execute();

  await db.schema
    .createTable('remittance_postings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
    /** Null for a manual reversal (reversePosting). */
    .addColumn('remittance_id', 'text', (c) => c.references('remittances.id'))
    /** payment | denial | reversal | not_our_claim. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** CLP02. */
    .addColumn('claim_status', 'text', (c) => c.notNull())
    /** CLP07 (ICN). */
    .addColumn('payer_claim_control_number', 'text', (c) => c.notNull())
    .addColumn('paid_cents', 'integer', (c) => c.notNull())
    /** CAS group CO. */
    .addColumn('contractual_cents', 'integer', (c) => c.notNull())
    /** CAS group PR. */
    .addColumn('patient_responsibility_cents', 'integer', (c) => c.notNull())
    /** CAS groups OA, PI, CR. */
    .addColumn('other_adjustment_cents', 'integer', (c) => c.notNull())
    /** JSON [{group, reason (CARC), amountCents}]. */
    .addColumn('adjustments', 'text', (c) => c.notNull())
    /** JSON string[]: RARC codes (MIA/MOA/LQ). */
    .addColumn('remarks', 'text', (c) => c.notNull())
    /** JSON string[]: warnings of the posting rules. */
    .addColumn('warnings', 'text', (c) => c.notNull())
    /** The posting this one reverses (a CLP02 22 reversal or reversePosting). */
    .addColumn('reverses_posting_id', 'text')
    /** Set on a posting once something reversed it. */
    .addColumn('reversed_by_posting_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('posted_by', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('remittance_postings_claim').on('remittance_postings').columns(['claim_id', 'posted_at']).execute();

  await db.schema
    .createTable('remittance_provider_adjustments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('remittance_id', 'text', (c) => c.notNull().references('remittances.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('fiscal_period', 'text', (c) => c.notNull())
    /** PLB03-1 (WO, L6, FB, ...). */
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    /** Positive reduces the payment. */
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('remittance_unmatched')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('remittance_id', 'text', (c) => c.notNull().references('remittances.id'))
    .addColumn('patient_control_number', 'text', (c) => c.notNull())
    .addColumn('payer_claim_control_number', 'text', (c) => c.notNull())
    .addColumn('claim_status', 'text', (c) => c.notNull())
    .addColumn('charge_cents', 'integer', (c) => c.notNull())
    .addColumn('paid_cents', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    /** JSON: the CLP as read (src/core/x12/parse-835.ts RemitClaim), to post once the claim is found. */
    .addColumn('remit_claim', 'text', (c) => c.notNull())
    /** open | resolved. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .execute();
  await db.schema.createIndex('remittance_unmatched_status').on('remittance_unmatched').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('claim_acknowledgements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
    /** 999 | 997 | 277CA | 277. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** accepted | rejected | pending | other. */
    .addColumn('outcome', 'text', (c) => c.notNull())
    /** JSON [{code, message}]: the errors or statuses against the claim. */
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('claim_acknowledgements_claim').on('claim_acknowledgements').columns(['claim_id', 'received_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'claim_acknowledgements',
    'remittance_unmatched',
    'remittance_provider_adjustments',
    'remittance_postings',
    'remittances',
    'remittance_files',
  ])
    await db.schema.dropTable(t).execute();
}
