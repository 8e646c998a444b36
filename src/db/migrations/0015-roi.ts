import type { Kysely } from 'kysely';

/**
 * Release of information (issue 19, src/modules/roi): requests with their authorization check and clock, the
 * disclosures made (every one recorded; the accountable ones listed in the patient's accounting, 45 CFR 164.528),
 * and invoices. The tables of one patient's rows lead their primary key with patient_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('roi_requests')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('requester_type', 'text', (c) => c.notNull())
    .addColumn('requester_name', 'text', (c) => c.notNull())
    .addColumn('requester_address', 'text')
    .addColumn('identity_verified_by', 'text')
    .addColumn('received_on', 'text', (c) => c.notNull())
    /** access | accounting | third_party (roi.clock.rules.ts). */
    .addColumn('clock_kind', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('extended_due_on', 'text')
    .addColumn('extension_reason', 'text')
    .addColumn('extension_notice_on', 'text')
    /** JSON: date range, encounter ids, document type codes asked for. */
    .addColumn('asked', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text')
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull())
    /** JSON: the authorization as read from the form (roi.authorization.rules.ts), null when none is on file. */
    .addColumn('authorization', 'text')
    /** JSON string[]: its defects at the last check. */
    .addColumn('authorization_defects', 'text')
    .addColumn('authorization_document_id', 'text')
    .addColumn('revoked_on', 'text')
    /** JSON: the other facts on file (satisfactory assurance, court order, Part 2 order, IRB waiver, categories). */
    .addColumn('facts', 'text', (c) => c.notNull())
    /** JSON string[]: the documents selected for release. */
    .addColumn('selected', 'text', (c) => c.notNull())
    /** JSON: redaction areas per document. */
    .addColumn('redactions', 'text', (c) => c.notNull())
    /** open | released | denied | cancelled. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_on', 'text')
    .addColumn('denial_ground', 'text')
    .addColumn('denial_explanation', 'text')
    .addColumn('packet_sha256', 'text')
    .addColumn('packet_pages', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('roi_requests_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('roi_requests_id').on('roi_requests').column('id').unique().execute();
  await db.schema.createIndex('roi_requests_status_due').on('roi_requests').columns(['status', 'due_on']).execute();

  await db.schema
    .createTable('roi_disclosures')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('disclosed_on', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('recipient_address', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    /** 1: listed in the accounting (164.528(a)); 0: exempt, kept for the audit. */
    .addColumn('accountable', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('roi_disclosures_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('roi_disclosures_date').on('roi_disclosures').columns(['patient_id', 'disclosed_on']).execute();

  await db.schema
    .createTable('roi_invoices')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    /** JSON {label, cents}[]. */
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('paid_cents', 'integer', (c) => c.notNull())
    .addColumn('paid_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('roi_invoices_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('roi_invoices_request').on('roi_invoices').columns(['patient_id', 'request_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['roi_invoices', 'roi_disclosures', 'roi_requests']) await db.schema.dropTable(t).execute();
}
