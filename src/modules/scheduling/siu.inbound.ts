/**
 * Inbound HL7 SIU (v2.5 chapter 10) from an outside scheduling system, applied in the caller's transaction (the HL7
 * interface's message transaction) through the same booking functions the clerks use, so the rules (conflicts,
 * overbooking limits, holds) are the same. S12 books, S13 and S14 move or change the resources, S15 cancels (SCH-6
 * reason), S17 deletes (status deleted, reason "deleted by sending system"), S26 marks a no-show. Problems are HL7 errors
 * naming the segment and field (HL7 table 0357), never a value that could be PHI.
 */
import { Hl7Error, Hl7ErrorCode } from '../../core/hl7/index.js';
import { isDomainError } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import type { SchedResourceTable } from '../../db/schema-scheduling.js';
import type { Actor, RecordScope } from '../access/index.js';
import { Permission } from '../access/index.js';
import {
  bookAppointmentInTx,
  isUniqueViolation,
  rescheduleAppointmentInTx,
  setAppointmentStatusInTx,
  slotTaken,
} from './appointments.service.js';
import * as repo from './scheduling.repository.js';
import { AppointmentStatus } from './scheduling.rules.js';
import type { SchedulingDeps } from './scheduling.views.js';
import type { InboundSiu } from './siu.rules.js';

/** The cancel reason of an S17 (the sending system deleted the appointment). */
export const SIU_DELETED_REASON = 'deleted by sending system';

export interface InboundSiuApplied {
  appointmentId: string;
  patientId: string;
  /** What was done: booked, rescheduled, unchanged, cancelled, deleted, no_show. */
  action: string;
}

const err = (code: Hl7ErrorCode, text: string, segment: string, field: number) => new Hl7Error(code, text, { segment, field });

/** The resources AIP/AIG name (each must be known), and those AIL names that are resources (rooms sent as locations). */
async function resourcesOf(trx: Db, siu: InboundSiu): Promise<string[]> {
  const rows = await repo.findResourcesByKeys(trx, [...siu.resourceCodes, ...siu.locationCodes]);
  const byKey = new Map<string, SchedResourceTable>();
  for (const r of rows) byKey.set(r.id, r).set(r.code, r);
  const ids: string[] = [];
  for (const code of siu.resourceCodes) {
    const r = byKey.get(code);
    // Resource codes are set-up data, not PHI: the error names the one not known.
    if (!r) throw err(Hl7ErrorCode.unknownKeyIdentifier, `resource ${code} is not known here`, 'AIP/AIG', 3);
    ids.push(r.id);
  }
  for (const code of siu.locationCodes) {
    const r = byKey.get(code);
    if (r) ids.push(r.id);
  }
  return [...new Set(ids)];
}

/** The appointment of SCH-1 (the placer's id we keep) else SCH-2 (our own id), of the PID patient. */
async function findTarget(trx: Db, siu: InboundSiu, patientId: string): Promise<string> {
  const hit =
    (await repo.findAppointmentByExternalId(trx, siu.placerId)) ??
    (siu.fillerId ? await repo.findAppointmentTarget(trx, siu.fillerId) : undefined);
  if (!hit) throw err(Hl7ErrorCode.unknownKeyIdentifier, 'the appointment is not known here', 'SCH', 1);
  if (hit.patient_id !== patientId) throw err(Hl7ErrorCode.duplicateKeyIdentifier, 'the appointment belongs to another patient', 'PID', 3);
  return hit.id;
}

/** A refusal of the booking rules (conflict, invalid) as an HL7 error that says what is wrong. */
function asHl7Error(e: unknown): unknown {
  if (isUniqueViolation(e)) return asHl7Error(slotTaken());
  if (e instanceof Hl7Error || !isDomainError(e)) return e;
  if (e.code === 'conflict') return err(Hl7ErrorCode.applicationRecordLocked, `conflict: ${e.message}`, 'SCH', 11);
  if (e.code === 'invalid') return err(Hl7ErrorCode.tableValueNotFound, `invalid: ${e.message}`, 'SCH', 11);
  if (e.code === 'not_found') return err(Hl7ErrorCode.unknownKeyIdentifier, e.message, 'SCH', 1);
  return e;
}

/**
 * Applies an inbound SIU to the schedule of `scope`'s patient (found by the interface from PID-3), in `trx`. The
 * interface runs it under a savepoint: a throw leaves nothing of the message written.
 */
export async function applyInboundSiuInTx(
  trx: Db,
  deps: SchedulingDeps,
  actor: Actor,
  scope: RecordScope,
  siu: InboundSiu,
): Promise<InboundSiuApplied> {
  try {
    return await applySiu(trx, deps, actor, scope, siu);
  } catch (e) {
    throw asHl7Error(e);
  }
}

async function applySiu(trx: Db, deps: SchedulingDeps, actor: Actor, scope: RecordScope, siu: InboundSiu): Promise<InboundSiuApplied> {
  const patientId = scope.patientId;
  if (siu.event === 'S12') {
    if (await repo.findAppointmentByExternalId(trx, siu.placerId))
      throw err(Hl7ErrorCode.duplicateKeyIdentifier, 'an appointment with this placer appointment id is booked already', 'SCH', 1);
    if (!siu.typeCode) throw err(Hl7ErrorCode.requiredFieldMissing, 'appointment type is required', 'SCH', 8);
    const type = await repo.findTypeByCode(trx, siu.typeCode);
    if (!type) throw err(Hl7ErrorCode.unknownKeyIdentifier, `appointment type ${siu.typeCode} is not known here`, 'SCH', 8);
    const resourceIds = await resourcesOf(trx, siu);
    if (resourceIds.length === 0) throw err(Hl7ErrorCode.requiredFieldMissing, 'at least one resource is required', 'AIP/AIG', 3);
    const v = await bookAppointmentInTx(
      trx,
      deps,
      scope,
      { patientId, typeId: type.id, resourceIds, start: siu.start! },
      {
        externalId: siu.placerId,
      },
    );
    return { appointmentId: v.id, patientId, action: 'booked' };
  }
  const id = await findTarget(trx, siu, patientId);
  const list = await deps.records.openList(actor, { permission: Permission.scheduleManage, resourceType: 'waitlist' });
  if (siu.event === 'S13' || siu.event === 'S14') {
    const row = (await repo.findAppointment(trx, scope, id))!;
    const resourceIds = siu.resourceCodes.length > 0 ? await resourcesOf(trx, siu) : undefined;
    const current = (await repo.resourceIdsOf(trx, [id])).map((r) => r.resource_id).sort();
    const start = siu.start ?? row.start_at;
    const sameResources = !resourceIds || [...resourceIds].sort().join(',') === current.join(',');
    // An S14 that changes nothing kept here (notes, contacts) is acknowledged and leaves the appointment as it is.
    if (Date.parse(start) === Date.parse(row.start_at) && sameResources) return { appointmentId: id, patientId, action: 'unchanged' };
    await rescheduleAppointmentInTx(trx, deps, scope, list, id, { start, ...(resourceIds ? { resourceIds } : {}) });
    return { appointmentId: id, patientId, action: 'rescheduled' };
  }
  if (siu.event === 'S17') {
    await setAppointmentStatusInTx(trx, deps, scope, list, id, AppointmentStatus.deleted, { reason: SIU_DELETED_REASON });
    return { appointmentId: id, patientId, action: 'deleted' };
  }
  if (siu.event === 'S15') {
    await setAppointmentStatusInTx(trx, deps, scope, list, id, AppointmentStatus.cancelled, { reason: siu.reason });
    return { appointmentId: id, patientId, action: 'cancelled' };
  }
  await setAppointmentStatusInTx(trx, deps, scope, list, id, AppointmentStatus.noShow);
  return { appointmentId: id, patientId, action: 'no_show' };
}
