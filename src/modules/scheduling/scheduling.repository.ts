/**
 * Scheduling SQL. Set-up tables (resources, types, templates, exceptions) are not patient data; functions over
 * appointments and the waitlist take the RecordScope or ListScope of the record-access step.
 */
import type { Db } from '../../db/database.js';
import type {
  SchedAppointmentTable,
  SchedAppointmentTypeTable,
  SchedExceptionTable,
  SchedHl7OutboxTable,
  SchedHoldTable,
  SchedResourceTable,
  SchedTemplateTable,
  SchedWaitlistTable,
} from '../../db/schema-scheduling.js';
import type { ListScope, RecordScope } from '../access/index.js';

export const SCHEDULING_PATIENT_TABLES = ['sched_appointments', 'sched_waitlist'] as const;
type PatientTable = (typeof SCHEDULING_PATIENT_TABLES)[number];

export const insertResource = (db: Db, row: SchedResourceTable) => db.insertInto('sched_resources').values(row).execute();
export const insertType = (db: Db, row: SchedAppointmentTypeTable) => db.insertInto('sched_appointment_types').values(row).execute();
export const insertTemplates = async (db: Db, rows: SchedTemplateTable[]) => {
  if (rows.length > 0) await db.insertInto('sched_templates').values(rows).execute();
};
export const insertException = (db: Db, row: SchedExceptionTable) => db.insertInto('sched_exceptions').values(row).execute();

export const listResources = (db: Db, opts: { kind?: string | undefined; ids?: readonly string[] | undefined } = {}) => {
  let q = db.selectFrom('sched_resources').selectAll().where('active', '=', 1);
  if (opts.kind) q = q.where('kind', '=', opts.kind);
  if (opts.ids) q = opts.ids.length === 0 ? q.where('id', '=', '') : q.where('id', 'in', [...opts.ids]);
  return q.orderBy('name').orderBy('id').execute();
};
/** Active resources whose code or id is one of `keys` (an inbound SIU names resources by either). */
export const findResourcesByKeys = (db: Db, keys: readonly string[]) =>
  keys.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('sched_resources')
        .selectAll()
        .where('active', '=', 1)
        .where((eb) => eb.or([eb('code', 'in', [...keys]), eb('id', 'in', [...keys])]))
        .execute();
export const findResourceByFeedToken = (db: Db, hash: string) =>
  db.selectFrom('sched_resources').selectAll().where('feed_token_hash', '=', hash).where('active', '=', 1).executeTakeFirst();
export const setFeedTokenHash = (db: Db, id: string, hash: string) =>
  db.updateTable('sched_resources').set({ feed_token_hash: hash }).where('id', '=', id).executeTakeFirst();

export const listTypes = (db: Db) => db.selectFrom('sched_appointment_types').selectAll().where('active', '=', 1).orderBy('name').execute();
export const findType = (db: Db, id: string) =>
  db.selectFrom('sched_appointment_types').selectAll().where('id', '=', id).executeTakeFirst();

export const findTypeByCode = (db: Db, code: string) =>
  db.selectFrom('sched_appointment_types').selectAll().where('code', '=', code).where('active', '=', 1).executeTakeFirst();

export const templatesOf = (db: Db, resourceIds: readonly string[]) =>
  resourceIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('sched_templates')
        .selectAll()
        .where('resource_id', 'in', [...resourceIds])
        .execute();

/** Exceptions of the resources (and the facility's holidays) between two dates, inclusive. */
export const exceptionsOf = (db: Db, resourceIds: readonly string[], fromDate: string, toDate: string) =>
  db
    .selectFrom('sched_exceptions')
    .selectAll()
    .where('date', '>=', fromDate)
    .where('date', '<=', toDate)
    .where((eb) => eb.or([eb('resource_id', 'is', null), ...(resourceIds.length ? [eb('resource_id', 'in', [...resourceIds])] : [])]))
    .execute();

/** Active bookings holding any of the resources, or of the patient, that overlap [from, to). */
export function activeBookings(
  db: Db,
  opts: { resourceIds: readonly string[]; patientId?: string; from: string; to: string; exceptId?: string },
) {
  let q = db
    .selectFrom('sched_appointments as a')
    .leftJoin('sched_appointment_resources as r', 'r.appointment_id', 'a.id')
    .select(['a.id', 'a.patient_id', 'a.start_at', 'a.end_at', 'r.resource_id'])
    .where('a.status', 'in', ['booked', 'checked_in'])
    .where('a.start_at', '<', opts.to)
    .where('a.end_at', '>', opts.from)
    .where((eb) =>
      eb.or([
        ...(opts.resourceIds.length ? [eb('r.resource_id', 'in', [...opts.resourceIds])] : []),
        ...(opts.patientId ? [eb('a.patient_id', '=', opts.patientId)] : []),
      ]),
    );
  if (opts.exceptId) q = q.where('a.id', '!=', opts.exceptId);
  return q.execute();
}

/** Start and end of every active booking of the resources from `from` on (the first-available search). */
export const bookedIntervals = (db: Db, resourceIds: readonly string[], from: string) =>
  resourceIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('sched_appointment_resources as r')
        .innerJoin('sched_appointments as a', 'a.id', 'r.appointment_id')
        .select(['r.resource_id', 'a.start_at', 'a.end_at'])
        .where('r.resource_id', 'in', [...resourceIds])
        .where('a.status', 'in', ['booked', 'checked_in'])
        .where('a.end_at', '>', from)
        .orderBy('a.start_at')
        .execute();

export async function insertAppointment(db: Db, scope: RecordScope, row: SchedAppointmentTable, resourceIds: readonly string[]) {
  if (row.patient_id !== scope.patientId) throw new Error('appointment of another record');
  await db.insertInto('sched_appointments').values(row).execute();
  await db
    .insertInto('sched_appointment_resources')
    .values(resourceIds.map((resource_id) => ({ appointment_id: row.id, resource_id, start_at: row.start_at })))
    .execute();
}

/** Takes the holds; the primary key refuses one already taken (a concurrent booking of the same slot). */
export const insertHolds = async (db: Db, rows: SchedHoldTable[]) => {
  if (rows.length > 0) await db.insertInto('sched_holds').values(rows).execute();
};
export const releaseHolds = (db: Db, appointmentId: string) =>
  db.deleteFrom('sched_holds').where('appointment_id', '=', appointmentId).execute();

export async function replaceAppointmentResources(db: Db, appointmentId: string, resourceIds: readonly string[], startAt: string) {
  await db.deleteFrom('sched_appointment_resources').where('appointment_id', '=', appointmentId).execute();
  await db
    .insertInto('sched_appointment_resources')
    .values(resourceIds.map((resource_id) => ({ appointment_id: appointmentId, resource_id, start_at: startAt })))
    .execute();
}

export const findAppointment = (db: Db, scope: RecordScope, id: string) =>
  db.selectFrom('sched_appointments').selectAll().where('patient_id', '=', scope.patientId).where('id', '=', id).executeTakeFirst();

/** The patient of an appointment (ids only), to open the record with. */
export const findAppointmentTarget = (db: Db, id: string) =>
  db.selectFrom('sched_appointments').select(['patient_id', 'id']).where('id', '=', id).executeTakeFirst();

export const findAppointmentByExternalId = (db: Db, externalId: string) =>
  db.selectFrom('sched_appointments').select(['patient_id', 'id']).where('external_id', '=', externalId).executeTakeFirst();

/** Updates the appointment only if no one changed it since `version` was read; answers whether it did. */
export async function updateAppointment(
  db: Db,
  scope: RecordScope,
  id: string,
  version: number,
  set: Partial<Omit<SchedAppointmentTable, 'patient_id' | 'id' | 'version'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('sched_appointments')
    .set({ ...set, version: version + 1 })
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const resourceIdsOf = async (db: Db, appointmentIds: readonly string[]) =>
  appointmentIds.length === 0
    ? []
    : db
        .selectFrom('sched_appointment_resources')
        .select(['appointment_id', 'resource_id'])
        .where('appointment_id', 'in', [...appointmentIds])
        .execute();

/** Appointments starting in [from, to), optionally of one resource or location, with the patient's list fields. */
export function listAppointments(
  db: Db,
  _list: ListScope,
  opts: { from: string; to: string; resourceId?: string | undefined; location?: string | undefined; statuses?: readonly string[] },
) {
  let q = db
    .selectFrom('sched_appointments as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .select(['a.id', 'a.patient_id', 'a.type_id', 'a.start_at', 'a.end_at', 'a.status', 'a.location', 'a.overbooked', 'a.cancel_reason'])
    .select(['a.reminder_sent_at', 'a.chart_request_id', 'a.version', 'p.mrn', 'p.family_name', 'p.given_name', 'p.restricted', 'p.email'])
    .where('a.start_at', '>=', opts.from)
    .where('a.start_at', '<', opts.to);
  if (opts.resourceId)
    q = q.where(
      'a.id',
      'in',
      db.selectFrom('sched_appointment_resources').select('appointment_id').where('resource_id', '=', opts.resourceId),
    );
  if (opts.location) q = q.where('a.location', '=', opts.location);
  // An appointment deleted as booked in error (S17) shows nowhere unless asked for by status.
  q = opts.statuses ? q.where('a.status', 'in', [...opts.statuses]) : q.where('a.status', '!=', 'deleted');
  return q.orderBy('a.start_at').orderBy('a.id').execute();
}
export type AppointmentListRow = Awaited<ReturnType<typeof listAppointments>>[number];

export const insertWaitlist = (db: Db, scope: RecordScope, row: SchedWaitlistTable) => {
  if (row.patient_id !== scope.patientId) throw new Error('waitlist entry of another record');
  return db.insertInto('sched_waitlist').values(row).execute();
};
export const waitingEntries = (db: Db, _list: ListScope, typeId: string) =>
  db.selectFrom('sched_waitlist').selectAll().where('status', '=', 'waiting').where('type_id', '=', typeId).execute();
export const listWaitlist = (db: Db, _list: ListScope) =>
  db
    .selectFrom('sched_waitlist as w')
    .innerJoin('patients as p', 'p.id', 'w.patient_id')
    .selectAll('w')
    .select(['p.mrn', 'p.family_name', 'p.given_name'])
    .where('w.status', 'in', ['waiting', 'offered'])
    .orderBy('w.created_at')
    .execute();
export const markOffered = (db: Db, _list: ListScope, id: string, startAt: string, resourceIds: readonly string[]) =>
  db
    .updateTable('sched_waitlist')
    .set({ status: 'offered', offered_start_at: startAt, offered_resource_ids: JSON.stringify(resourceIds) })
    .where('id', '=', id)
    .where('status', '=', 'waiting')
    .executeTakeFirst();

export const insertOutbox = (db: Db, row: SchedHl7OutboxTable) => db.insertInto('sched_hl7_outbox').values(row).execute();
/** Pending messages in the order they were made (ids are time-ordered UUIDv7); the sender stops at the first not yet due. */
export const pendingOutbox = (db: Db, limit: number) =>
  db.selectFrom('sched_hl7_outbox').selectAll().where('status', '=', 'pending').orderBy('created_at').orderBy('id').limit(limit).execute();
export const updateOutbox = (db: Db, id: string, set: Partial<SchedHl7OutboxTable>) =>
  db.updateTable('sched_hl7_outbox').set(set).where('id', '=', id).execute();
export const listOutbox = (db: Db, limit: number) =>
  db.selectFrom('sched_hl7_outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute();

/** MPI merge: the row ids of a patient in one of the module's patient tables, and moving them to another record. */
export const listRowIds = async (db: Db, table: PatientTable, scope: RecordScope) =>
  (await db.selectFrom(table).select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
export async function moveRows(db: Db, table: PatientTable, from: RecordScope, to: RecordScope, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .updateTable(table)
    .set({ patient_id: to.patientId })
    .where('patient_id', '=', from.patientId)
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Appointment types and the first resource's zone of appointments (reminders, feeds). */
export const mailFactsOf = async (db: Db, appointmentIds: readonly string[]) =>
  appointmentIds.length === 0
    ? []
    : db
        .selectFrom('sched_appointments as a')
        .innerJoin('sched_appointment_types as t', 't.id', 'a.type_id')
        .innerJoin('sched_appointment_resources as ar', 'ar.appointment_id', 'a.id')
        .innerJoin('sched_resources as r', 'r.id', 'ar.resource_id')
        .select(['a.id', 't.name as type_name', 't.instructions', 'r.time_zone', 'r.kind', 'r.name as resource_name'])
        .where('a.id', 'in', [...appointmentIds])
        .execute();

export const markReminded = (db: Db, _list: ListScope, id: string, at: string) =>
  db.updateTable('sched_appointments').set({ reminder_sent_at: at }).where('id', '=', id).where('reminder_sent_at', 'is', null).execute();

/** A provider's appointments (no patient fields) in [from, to), for its iCalendar feed. */
export const feedAppointments = (db: Db, resourceId: string, from: string, to: string) =>
  db
    .selectFrom('sched_appointments as a')
    .innerJoin('sched_appointment_resources as ar', 'ar.appointment_id', 'a.id')
    .innerJoin('sched_appointment_types as t', 't.id', 'a.type_id')
    .select(['a.id', 'a.start_at', 'a.end_at', 'a.status', 'a.location', 'a.version', 't.name as type_name'])
    .where('ar.resource_id', '=', resourceId)
    .where('a.start_at', '>=', from)
    .where('a.start_at', '<', to)
    .where('a.status', 'in', ['booked', 'checked_in', 'completed'])
    .orderBy('a.start_at')
    .execute();

/** The name of each appointment's provider (for a chart request's requester), by appointment id. */
export async function providerNamesOf(db: Db, appointmentIds: readonly string[]): Promise<Map<string, string>> {
  if (appointmentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('sched_appointment_resources as ar')
    .innerJoin('sched_resources as r', 'r.id', 'ar.resource_id')
    .select(['ar.appointment_id', 'r.name'])
    .where('ar.appointment_id', 'in', [...appointmentIds])
    .where('r.kind', '=', 'provider')
    .orderBy('r.name')
    .execute();
  return new Map(rows.map((r) => [r.appointment_id, r.name]));
}

/** Keeps a chart request's id on its appointment unless one is already there; true when this one was kept. */
export const linkChartRequest = async (db: Db, _list: ListScope, appointmentId: string, requestId: string) =>
  Number(
    (
      await db
        .updateTable('sched_appointments')
        .set({ chart_request_id: requestId })
        .where('id', '=', appointmentId)
        .where('chart_request_id', 'is', null)
        .executeTakeFirst()
    ).numUpdatedRows,
  ) === 1;
