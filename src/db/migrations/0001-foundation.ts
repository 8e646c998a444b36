import { sql, type Kysely } from 'kysely';

/** Foundation tables: facilities, people and access, patients and encounters, break-the-glass, audit trail. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('facilities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mrn_prefix', 'text', (c) => c.notNull())
    .addColumn('next_mrn', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('npi', 'text')
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('credentials', 'text')
    .addColumn('specialty', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('provider_id', 'text', (c) => c.references('providers.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('patients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id'))
    .addColumn('mrn', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('middle_name', 'text')
    .addColumn('date_of_birth', 'text')
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('race', 'text')
    .addColumn('ethnicity', 'text')
    .addColumn('address_line1', 'text')
    .addColumn('address_line2', 'text')
    .addColumn('city', 'text')
    .addColumn('state', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('ssn_encrypted', 'text')
    .addColumn('ssn_last4', 'text')
    .addColumn('deceased', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deceased_at', 'text')
    .addColumn('restricted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('restriction_reason', 'text')
    .addColumn('merged_into', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('patients_facility_mrn', ['facility_id', 'mrn'])
    .execute();
  await db.schema.createIndex('patients_name').on('patients').columns(['family_name', 'given_name']).execute();
  await db.schema.createIndex('patients_dob').on('patients').column('date_of_birth').execute();

  const patientChild = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
      .addColumn('id', 'text', (c) => c.notNull());

  await patientChild('patient_names')
    .addColumn('use', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('middle_name', 'text')
    .addPrimaryKeyConstraint('patient_names_pk', ['patient_id', 'id'])
    .execute();

  await patientChild('patient_identifiers')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('type', 'text')
    .addPrimaryKeyConstraint('patient_identifiers_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('patient_identifiers_value').on('patient_identifiers').columns(['system', 'value']).execute();

  await patientChild('patient_insurance')
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('payer_name', 'text', (c) => c.notNull())
    .addColumn('payer_id', 'text')
    .addColumn('plan_type', 'text')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('group_number', 'text')
    .addColumn('subscriber_name', 'text')
    .addColumn('subscriber_relationship', 'text')
    .addPrimaryKeyConstraint('patient_insurance_pk', ['patient_id', 'id'])
    .execute();

  await patientChild('next_of_kin')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('relationship', 'text')
    .addColumn('phone', 'text')
    .addPrimaryKeyConstraint('next_of_kin_pk', ['patient_id', 'id'])
    .execute();

  await patientChild('encounters')
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id'))
    .addColumn('account_number', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('admit_at', 'text', (c) => c.notNull())
    .addColumn('discharge_at', 'text')
    .addColumn('attending_provider_id', 'text', (c) => c.references('providers.id'))
    .addColumn('admission_source', 'text')
    .addColumn('admission_type', 'text')
    .addColumn('discharge_status', 'text')
    .addColumn('payer_name', 'text')
    .addColumn('reason_for_visit', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('encounters_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('encounters_account').on('encounters').columns(['facility_id', 'account_number']).unique().execute();
  await db.schema.createIndex('encounters_discharge').on('encounters').column('discharge_at').execute();

  await patientChild('break_glass')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('review_note', 'text')
    .addPrimaryKeyConstraint('break_glass_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('break_glass_user').on('break_glass').columns(['user_id', 'patient_id']).execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('username', 'text')
    .addColumn('role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text')
    .addColumn('patient_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('purpose_of_use', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_patient').on('audit_events').columns(['patient_id', 'occurred_at']).execute();
  await db.schema.createIndex('audit_user').on('audit_events').columns(['user_id', 'occurred_at']).execute();
  await db.schema.createIndex('audit_time').on('audit_events').column('occurred_at').execute();

  // One row that serialises appends to the hash chain: every append updates it in the writer's transaction,
  // which takes a row lock on PostgreSQL and the write lock on SQLite.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'audit_head',
    'audit_events',
    'break_glass',
    'encounters',
    'next_of_kin',
    'patient_insurance',
    'patient_identifiers',
    'patient_names',
    'patients',
    'sessions',
    'users',
    'providers',
    'facilities',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
