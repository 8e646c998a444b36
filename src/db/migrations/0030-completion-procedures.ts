import type { Kysely } from 'kysely';

/**
 * Chart completion (issue 18), migration 0030:
 * - `sched_appointment_types.surgical`: 1 when an appointment of the type is a surgical or other invasive procedure
 *   (42 CFR 482.51). A checked-in or completed appointment of such a type, for the same patient, during an encounter,
 *   is a scheduled surgery of that encounter: completion then requires the operative report, the H&P before surgery,
 *   the anesthesia record and the informed consent, as it does for coded ICD-10-PCS surgery. Existing types are 0; the
 *   scheduler marks the procedure types (`POST /api/scheduling/types` `surgical: true`).
 * - `sched_appointments(patient_id, start_at)`: the analysis finds a chunk of encounters' procedure appointments by
 *   patient and time.
 * - Indexes for the completion reports' filters: deficiencies by `created_at` (scorecards) and by `status` (outstanding
 *   deficiencies, suspension list, notices), disputes by `kind, at` (scorecards), records by `discharge_at` (trend).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sched_appointment_types')
    .addColumn('surgical', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('sched_appointments_patient_start').on('sched_appointments').columns(['patient_id', 'start_at']).execute();
  await db.schema.createIndex('deficiencies_created').on('deficiencies').column('created_at').execute();
  await db.schema.createIndex('deficiencies_status').on('deficiencies').columns(['status', 'encounter_id']).execute();
  await db.schema.createIndex('deficiency_events_kind_at').on('deficiency_events').columns(['kind', 'at']).execute();
  await db.schema.createIndex('completion_records_discharge').on('completion_records').column('discharge_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const i of [
    'completion_records_discharge',
    'deficiency_events_kind_at',
    'deficiencies_status',
    'deficiencies_created',
    'sched_appointments_patient_start',
  ])
    await db.schema.dropIndex(i).execute();
  await db.schema.alterTable('sched_appointment_types').dropColumn('surgical').execute();
}
