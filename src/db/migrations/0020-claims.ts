import type { Kysely } from 'kysely';

/**
 * Claims (issue 20, src/modules/claims): payers, patients' coverages, the facility's billing providers, the
 * chargemaster, charges per encounter, claims (draft / ready / released, scrubber findings, control numbers), the X12
 * control-number counters and the interchanges written. Tables of one patient's rows lead their key with patient_id.
 * Amounts are integer cents.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    /** X12 payer id (2010BB NM109). */
    .addColumn('payer_code', 'text', (c) => c.notNull())
    /** SBR09 claim filing indicator (MA, MB, MC, CI, BL, HM, ...). */
    .addColumn('claim_filing_indicator', 'text', (c) => c.notNull())
    .addColumn('address_line1', 'text')
    .addColumn('city', 'text')
    .addColumn('state', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payers_code').on('payers').column('payer_code').execute();

  await db.schema
    .createTable('patient_coverages')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payer_id', 'text', (c) => c.notNull().references('payers.id'))
    /** Order of benefits: 1 primary, 2 secondary, 3 tertiary. */
    .addColumn('benefit_order', 'integer', (c) => c.notNull())
    /** Patient's relationship to the subscriber (X12 individual relationship code: 18 self, 01 spouse, 19 child, ...). */
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('group_number', 'text')
    .addColumn('group_name', 'text')
    .addColumn('subscriber_family_name', 'text', (c) => c.notNull())
    .addColumn('subscriber_given_name', 'text')
    .addColumn('subscriber_middle_name', 'text')
    .addColumn('subscriber_date_of_birth', 'text')
    .addColumn('subscriber_sex', 'text')
    .addColumn('subscriber_address_line1', 'text')
    .addColumn('subscriber_address_line2', 'text')
    .addColumn('subscriber_city', 'text')
    .addColumn('subscriber_state', 'text')
    .addColumn('subscriber_postal_code', 'text')
    .addColumn('effective_from', 'text')
    .addColumn('effective_to', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('patient_coverages_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('patient_coverages_id').on('patient_coverages').column('id').unique().execute();

  await db.schema
    .createTable('billing_providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('npi', 'text', (c) => c.notNull())
    .addColumn('taxonomy', 'text')
    .addColumn('tax_id', 'text', (c) => c.notNull())
    .addColumn('address_line1', 'text', (c) => c.notNull())
    .addColumn('address_line2', 'text')
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    /** Nine digits (ZIP+4), as 2010AA N403 requires. */
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('pay_to_address_line1', 'text')
    .addColumn('pay_to_address_line2', 'text')
    .addColumn('pay_to_city', 'text')
    .addColumn('pay_to_state', 'text')
    .addColumn('pay_to_postal_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('billing_providers_facility').on('billing_providers').column('facility_id').unique().execute();

  await db.schema
    .createTable('chargemaster_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The hospital's charge code (CDM number). */
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('revenue_code', 'text', (c) => c.notNull())
    /** HCPCS Level II (or CPT, by licence) where one applies. */
    .addColumn('hcpcs', 'text')
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('encounter_charges')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('chargemaster_items.id'))
    .addColumn('service_date', 'text', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    /** JSON string[]: HCPCS/CPT modifiers. */
    .addColumn('modifiers', 'text', (c) => c.notNull())
    /** 'professional' lines go on an 837P; 'facility' lines on the 837I. */
    .addColumn('component', 'text', (c) => c.notNull())
    /** 1-based diagnosis pointers (837P), JSON number[]. */
    .addColumn('diagnosis_pointers', 'text', (c) => c.notNull())
    .addColumn('rendering_provider_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('encounter_charges_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('encounter_charges_id').on('encounter_charges').column('id').unique().execute();
  await db.schema.createIndex('encounter_charges_encounter').on('encounter_charges').columns(['patient_id', 'encounter_id']).execute();

  await db.schema
    .createTable('claims')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('encounter_id', 'text', (c) => c.notNull())
    /** 837I | 837P. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('coverage_id', 'text', (c) => c.notNull())
    /** draft | ready | released. */
    .addColumn('status', 'text', (c) => c.notNull())
    /** CLM01, unique: it comes back on the 835. */
    .addColumn('patient_control_number', 'text', (c) => c.notNull().unique())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('statement_from', 'text', (c) => c.notNull())
    .addColumn('statement_to', 'text', (c) => c.notNull())
    .addColumn('drg', 'text')
    /** JSON: the typed claim the 837 builder reads (src/core/x12/build-837-types.ts). */
    .addColumn('data', 'text', (c) => c.notNull())
    /** JSON ScrubFinding[] at the last scrub. */
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('interchange_control_number', 'text')
    .addColumn('transaction_control_number', 'text')
    .addColumn('released_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('claims_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('claims_id').on('claims').column('id').unique().execute();
  await db.schema.createIndex('claims_status').on('claims').columns(['kind', 'status', 'statement_to']).execute();
  await db.schema.createIndex('claims_encounter').on('claims').columns(['patient_id', 'encounter_id']).execute();

  /** The last X12 control number given out, per counter (e.g. `isa:ZZ:SENDER`): never handed out twice. */
  await db.schema
    .createTable('x12_control_numbers')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_value', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('claim_interchanges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('interchange_control_number', 'text', (c) => c.notNull())
    .addColumn('claim_count', 'integer', (c) => c.notNull())
    .addColumn('refused_count', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('claim_interchanges_control', ['sender_id', 'interchange_control_number'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'claim_interchanges',
    'x12_control_numbers',
    'claims',
    'encounter_charges',
    'chargemaster_items',
    'billing_providers',
    'patient_coverages',
    'payers',
  ])
    await db.schema.dropTable(t).execute();
}
