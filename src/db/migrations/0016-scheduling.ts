import type { Kysely } from 'kysely';

/**
 * Scheduling (issue 22, src/modules/scheduling): resources (providers, rooms, equipment), appointment types, weekly
 * availability templates and their exceptions, appointments with the resources they hold, the waitlist, and the
 * outbound HL7 SIU log. `sched_holds` makes double booking impossible in the database: one row per resource, slot
 * and overbooking position, under a primary key, so that of concurrent bookings of one slot exactly one commits.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sched_resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('max_overbook', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text')
    /** SHA-256 (hex) of the provider's iCalendar feed token; null = no feed. */
    .addColumn('feed_token_hash', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sched_resources_feed').on('sched_resources').column('feed_token_hash').execute();

  await db.schema
    .createTable('sched_appointment_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    /** JSON ResourceKind[]: one resource of each kind is booked (a procedure: provider, room, provider). */
    .addColumn('resource_kinds', 'text', (c) => c.notNull())
    .addColumn('instructions', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sched_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('slot_minutes', 'integer', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('location', 'text')
    .execute();
  await db.schema.createIndex('sched_templates_resource').on('sched_templates').column('resource_id').execute();

  await db.schema
    .createTable('sched_exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** null: every resource (a facility holiday). */
    .addColumn('resource_id', 'text')
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text')
    .addColumn('end_time', 'text')
    .addColumn('slot_minutes', 'integer')
    .addColumn('location', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sched_exceptions_date').on('sched_exceptions').columns(['date', 'resource_id']).execute();

  await db.schema
    .createTable('sched_appointments')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type_id', 'text', (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('overbooked', 'integer', (c) => c.notNull())
    .addColumn('cancel_reason', 'text')
    /** The placer's id of an appointment received over HL7 (SCH-1), with its source. */
    .addColumn('external_id', 'text')
    .addColumn('reminder_sent_at', 'text')
    .addColumn('chart_request_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sched_appointments_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('sched_appointments_id').on('sched_appointments').column('id').unique().execute();
  await db.schema.createIndex('sched_appointments_start').on('sched_appointments').columns(['start_at', 'status']).execute();
  await db.schema.createIndex('sched_appointments_external').on('sched_appointments').column('external_id').execute();

  await db.schema
    .createTable('sched_appointment_resources')
    .addColumn('appointment_id', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sched_appointment_resources_pk', ['appointment_id', 'resource_id'])
    .execute();
  await db.schema
    .createIndex('sched_appointment_resources_day')
    .on('sched_appointment_resources')
    .columns(['resource_id', 'start_at'])
    .execute();

  // One row per resource, slot start and overbooking position held by an active appointment: the database refuses
  // a second booking of a held slot (seq 0) whatever the interleaving of concurrent transactions.
  await db.schema
    .createTable('sched_holds')
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('cell_start', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('appointment_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sched_holds_pk', ['resource_id', 'cell_start', 'seq'])
    .execute();
  await db.schema.createIndex('sched_holds_appointment').on('sched_holds').column('appointment_id').execute();

  await db.schema
    .createTable('sched_waitlist')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type_id', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text')
    .addColumn('earliest_at', 'text', (c) => c.notNull())
    .addColumn('latest_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('offered_start_at', 'text')
    .addColumn('offered_resource_ids', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sched_waitlist_pk', ['patient_id', 'id'])
    .execute();
  await db.schema.createIndex('sched_waitlist_id').on('sched_waitlist').column('id').unique().execute();
  await db.schema.createIndex('sched_waitlist_status').on('sched_waitlist').columns(['status', 'type_id']).execute();

  // Outbound HL7 SIU messages (the log): pending until the destination ACKs AA/CA, retried with back-off.
  await db.schema
    .createTable('sched_hl7_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('appointment_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('control_id', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('ack_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('sched_hl7_outbox_pending').on('sched_hl7_outbox').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'sched_hl7_outbox',
    'sched_waitlist',
    'sched_holds',
    'sched_appointment_resources',
    'sched_appointments',
    'sched_exceptions',
    'sched_templates',
    'sched_appointment_types',
    'sched_resources',
  ])
    await db.schema.dropTable(t).execute();
}
