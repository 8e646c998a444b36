/**
 * Procedure appointments for other modules (chart completion, src/modules/completion): the appointments of surgical
 * types (`sched_appointment_types.surgical`, migration 0030) of some patients that overlap a time window, with the
 * users behind their provider resources. One query per call, so a batch of encounters does not query per encounter.
 */
import type { Db } from '../../db/database.js';
import type { ListScope, RecordScope } from '../access/index.js';

/** An appointment of a surgical type (any status: the caller decides which count). */
export interface ProcedureAppointment {
  id: string;
  patientId: string;
  typeCode: string;
  startAt: string;
  endAt: string;
  /** booked | checked_in | completed | cancelled | no_show | deleted */
  status: string;
  /** The users (users.id) of the appointment's provider resources that are linked to one. */
  providerUserIds: string[];
}

/**
 * Appointments of surgical types of these patients that overlap [from, to) (start before `to`, end after `from`).
 * Takes the caller's list scope: the caller opened the record list through the record-access step.
 */
export async function listProcedureAppointments(
  db: Db,
  _list: ListScope | RecordScope,
  q: { patientIds: readonly string[]; from: string; to: string },
): Promise<ProcedureAppointment[]> {
  const patientIds = [...new Set(q.patientIds)];
  if (patientIds.length === 0) return [];
  const rows = await db
    .selectFrom('sched_appointments as a')
    .innerJoin('sched_appointment_types as t', 't.id', 'a.type_id')
    .leftJoin('sched_appointment_resources as ar', 'ar.appointment_id', 'a.id')
    .leftJoin('sched_resources as r', (j) => j.onRef('r.id', '=', 'ar.resource_id').on('r.kind', '=', 'provider'))
    .select(['a.id', 'a.patient_id', 't.code', 'a.start_at', 'a.end_at', 'a.status', 'r.user_id'])
    .where('t.surgical', '=', 1)
    .where('a.patient_id', 'in', patientIds)
    .where('a.start_at', '<', q.to)
    .where('a.end_at', '>', q.from)
    .orderBy('a.start_at')
    .orderBy('a.id')
    .execute();
  const out = new Map<string, ProcedureAppointment>();
  for (const r of rows) {
    const a = out.get(r.id) ?? {
      id: r.id,
      patientId: r.patient_id,
      typeCode: r.code,
      startAt: r.start_at,
      endAt: r.end_at,
      status: r.status,
      providerUserIds: [],
    };
    if (r.user_id && !a.providerUserIds.includes(r.user_id)) a.providerUserIds.push(r.user_id);
    out.set(r.id, a);
  }
  return [...out.values()];
}
