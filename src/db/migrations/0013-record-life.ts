import type { Kysely } from 'kysely';

/**
 * The record's life after filing (issue 16): amendment requests of 45 CFR 164.526 with the people to tell of an
 * accepted amendment (src/modules/amendments), and retention rule sets with destruction batches and their
 * certificates (src/modules/retention). The tables of one patient's rows lead their primary key with patient_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('amendment_requests')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    /** JSON string[]: the documents the request names (may be empty when it names information only). */
    .addColumn('document_ids', 'text', (c) => c.notNull())
    .addColumn('information', 'text', (c) => c.notNull())
    .addColumn('requested_change', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('received_via', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('extended_due_on', 'text')
    .addColumn('extension_reason', 'text')
    .addColumn('extension_notice_on', 'text')
    .addColumn('extended_by', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_on', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('denial_basis', 'text')
    .addColumn('denial_explanation', 'text')
    .addColumn('denial_document_id', 'text')
    .addColumn('amendment_document_id', 'text')
    .addColumn('amendment_version', 'integer')
    .addColumn('disagreement_document_id', 'text')
    .addColumn('disagreement_received_on', 'text')
    .addColumn('rebuttal_document_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('amendment_requests_pk', ['patient_id', 'id'])
    .execute();
  // The open list and the overdue list (status open, by due date).
  await db.schema.createIndex('amendment_requests_status_due').on('amendment_requests').columns(['status', 'due_on']).execute();
  await db.schema.createIndex('amendment_requests_id').on('amendment_requests').column('id').unique().execute();

  await db.schema
    .createTable('amendment_notifications')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('identified_by', 'text', (c) => c.notNull())
    .addColumn('notified_on', 'text')
    .addColumn('notified_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('amendment_notifications_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createIndex('amendment_notifications_request')
    .on('amendment_notifications')
    .columns(['patient_id', 'request_id'])
    .execute();

  await db.schema
    .createTable('retention_rule_sets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('age_of_majority', 'integer', (c) => c.notNull())
    /** JSON RetentionRule[] (src/modules/retention/retention.rules.ts). */
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('destruction_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule_set_id', 'text', (c) => c.notNull())
    .addColumn('rule_set_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('method', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('performed_by', 'text')
    .addColumn('performed_at', 'text')
    .addColumn('destroyed_count', 'integer', (c) => c.notNull())
    .addColumn('skipped_count', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('destruction_items')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('type_code', 'text', (c) => c.notNull())
    .addColumn('service_at', 'text', (c) => c.notNull())
    .addColumn('mrn', 'text', (c) => c.notNull())
    .addColumn('eligible_on', 'text', (c) => c.notNull())
    .addColumn('eligibility', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('outcome_reason', 'text')
    .addColumn('done_at', 'text')
    .addPrimaryKeyConstraint('destruction_items_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('destruction_items_batch').on('destruction_items').column('batch_id').execute();

  await (db as Kysely<{ retention_rule_sets: Record<string, unknown> }>)
    .insertInto('retention_rule_sets')
    .values(SEED_RULE_SETS.map((r) => ({ ...r, rules: JSON.stringify(r.rules), updated_by: 'system', updated_at: SEEDED_AT })))
    .execute();

  // Letters of the amendment process (denial, statement of disagreement, rebuttal) are filed in the record under this type.
  await (db as Kysely<{ document_types: Record<string, unknown> }>)
    .insertInto('document_types')
    .values({
      code: 'AMEND',
      name: 'Amendment request correspondence (45 CFR 164.526)',
      loinc_code: null,
      category: 'administrative',
      requires_cosign: 0,
      default_confidentiality: '[]',
      active: 1,
      updated_at: SEEDED_AT,
    })
    .execute();
}

const SEEDED_AT = '2026-12-07T00:00:00.000Z';

/**
 * The rule sets every installation starts with; the HIM director edits them and chooses the active one. The federal
 * set follows the Medicare Conditions of Participation (42 CFR 482.24(b)(1): at least 5 years); the two state sets are
 * examples of the usual shapes of state law (longer adult periods, minors until the age of majority plus some years,
 * a type with its own period), not the law of any named state.
 */
const SEED_RULE_SETS = [
  {
    id: 'rs-federal',
    name: 'Federal / Medicare (5 years)',
    jurisdiction: 'US-federal',
    description:
      'CMS Conditions of Participation 42 CFR 482.24(b)(1): records kept at least 5 years; minors at least until the age of majority.',
    age_of_majority: 18,
    active: 1,
    rules: [{ typeCode: null, adultYears: 5, anchor: 'last_encounter', minorYearsAfterMajority: 0 }],
  },
  {
    id: 'rs-example-a',
    name: 'Example state A (10 years; minors to majority + 3)',
    jurisdiction: 'example-state-a',
    description: 'Adults 10 years after the last encounter; minors until 3 years after the age of majority (19), whichever is later.',
    age_of_majority: 19,
    active: 0,
    rules: [{ typeCode: null, adultYears: 10, anchor: 'last_encounter', minorYearsAfterMajority: 3 }],
  },
  {
    id: 'rs-example-b',
    name: 'Example state B (7 years from service; minors to 28)',
    jurisdiction: 'example-state-b',
    description:
      'Each document 7 years after its service date; minors until 10 years after the age of majority (18); laboratory reports 2 years; psychotherapy notes kept permanently.',
    age_of_majority: 18,
    active: 0,
    rules: [
      { typeCode: null, adultYears: 7, anchor: 'service_date', minorYearsAfterMajority: 10 },
      { typeCode: 'LAB', adultYears: 2, anchor: 'service_date', minorYearsAfterMajority: 0 },
      { typeCode: 'PSYN', adultYears: null, anchor: 'service_date', minorYearsAfterMajority: null },
    ],
  },
];

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['destruction_items', 'destruction_batches', 'retention_rule_sets', 'amendment_notifications', 'amendment_requests'])
    await db.schema.dropTable(t).ifExists().execute();
  await (db as Kysely<{ document_types: { code: string } }>).deleteFrom('document_types').where('code', '=', 'AMEND').execute();
}
