/**
 * Scheduled surgeries (42 CFR 482.51(b)(6): an operative report "when a surgical procedure was coded or scheduled"):
 * the procedure appointments of the analysed encounters' patients, read through scheduling's index (never its
 * tables), linked to encounters by `scheduledSurgeries` (completion.rules.ts): same patient, checked in or completed,
 * time overlapping the stay. Set-based: one appointment query and one user query per chunk of encounters.
 */
import type { Db } from '../../db/database.js';
import type { ListScope, RecordScope } from '../access/index.js';
import { listProcedureAppointments } from '../scheduling/index.js';
import type { FactsOf } from './completion.repository.js';
import { scheduledSurgeries, type ScheduledProcedure } from './completion.rules.js';

/**
 * Adds each discharged encounter's scheduled surgeries: the patients' procedure appointments (read through scheduling's
 * index) in one query per chunk, the surgeon resolved from the provider resource's user, linked by `scheduledSurgeries`.
 */
export async function loadScheduledSurgeries(
  db: Db,
  list: ListScope | RecordScope,
  encs: readonly FactsOf['encounter'][],
  out: Map<string, FactsOf>,
): Promise<void> {
  const discharged = encs.filter((e) => e.dischargeAt !== null);
  if (discharged.length === 0) return;
  const from = discharged.reduce((m, e) => (e.admitAt < m ? e.admitAt : m), discharged[0]!.admitAt);
  const to = discharged.reduce((m, e) => (e.dischargeAt! > m ? e.dischargeAt! : m), discharged[0]!.dischargeAt!);
  const appts = await listProcedureAppointments(db, list, { patientIds: discharged.map((e) => e.patientId), from, to });
  if (appts.length === 0) return;
  const userIds = [...new Set(appts.flatMap((a) => a.providerUserIds))];
  const providerOf = new Map<string, string>();
  if (userIds.length > 0)
    for (const u of await db.selectFrom('users').select(['id', 'provider_id']).where('id', 'in', userIds).execute())
      if (u.provider_id) providerOf.set(u.id, u.provider_id);
  const byPatient = new Map<string, ScheduledProcedure[]>();
  for (const a of appts) {
    const surgeon = a.providerUserIds.map((u) => providerOf.get(u)).find((p) => p !== undefined) ?? null;
    const list = byPatient.get(a.patientId) ?? [];
    list.push({ ...a, appointmentId: a.id, surgeonProviderId: surgeon });
    byPatient.set(a.patientId, list);
  }
  for (const e of discharged) {
    const mine = byPatient.get(e.patientId);
    if (mine) out.get(e.encounterId)!.encounter.surgeries.push(...scheduledSurgeries(e, mine));
  }
}

/** The patient's discharged encounters whose stay overlaps [from, to) (a procedure appointment's encounters). */
export async function dischargedEncountersDuring(db: Db, _list: ListScope, patientId: string, from: string, to: string): Promise<string[]> {
  const rows = await db
    .selectFrom('encounters')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('status', '=', 'discharged')
    .where('admit_at', '<', to)
    .where('discharge_at', '>', from)
    .execute();
  return rows.map((r) => r.id);
}
