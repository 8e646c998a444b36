/** The waitlist: patients waiting for a slot of a type (optionally with one resource) within a window. */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, scopeDetail, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './scheduling.repository.js';
import { parseInput, type SchedulingDeps } from './scheduling.views.js';

export const WaitlistSchema = z.object({
  patientId: z.string().min(1).max(64),
  typeId: z.string().min(1).max(64),
  resourceId: z.string().min(1).max(64).nullish(),
  earliest: z.iso.datetime({ offset: true }),
  latest: z.iso.datetime({ offset: true }),
});

export async function addToWaitlist(deps: SchedulingDeps, actor: Actor, input: z.input<typeof WaitlistSchema>) {
  const v = parseInput(WaitlistSchema, input);
  if (Date.parse(v.latest) <= Date.parse(v.earliest)) throw invalid('latest: must be after earliest');
  const scope = await deps.records.open(
    actor,
    { patientId: v.patientId },
    { permission: Permission.scheduleManage, mode: 'write', resourceType: 'waitlist' },
  );
  return deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findType(trx, v.typeId))) throw invalid('typeId: no such appointment type');
    const row = {
      patient_id: scope.patientId,
      id: newId(),
      type_id: v.typeId,
      resource_id: v.resourceId ?? null,
      earliest_at: new Date(v.earliest).toISOString(),
      latest_at: new Date(v.latest).toISOString(),
      status: 'waiting',
      offered_start_at: null,
      offered_resource_ids: null,
      created_by: actor.userId,
      created_at: deps.clock.now().toISOString(),
    };
    await repo.insertWaitlist(trx, scope, row);
    await recordAudit(trx, deps.audit, scope.actor, {
      action: 'create',
      resourceType: 'waitlist',
      resourceId: row.id,
      patientId: row.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope),
    });
    return { id: row.id, status: row.status };
  });
}

/** Waiting and offered entries, oldest first; a restricted record the user has not opened shows ids only. */
export async function listWaitlist(deps: SchedulingDeps, actor: Actor) {
  const list = await deps.records.openList(actor, { permission: Permission.scheduleManage, resourceType: 'waitlist' });
  const rows = await repo.listWaitlist(deps.db, list);
  const withheld = await list.withheldAmong(rows.map((r) => r.patient_id));
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patient_id,
    // As on the calendar: a restricted record's entry shows its existence (name, MRN), not what it waits for.
    patientName: `${r.family_name}, ${r.given_name}`,
    mrn: r.mrn,
    details: !withheld.has(r.patient_id),
    typeId: withheld.has(r.patient_id) ? null : r.type_id,
    status: r.status,
    offeredStart: withheld.has(r.patient_id) ? null : r.offered_start_at,
    createdAt: r.created_at,
  }));
}
