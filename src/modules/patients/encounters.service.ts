import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, EncounterTable, PatientTable } from '../../db/schema.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { Permission, scopeDetail, type Actor, type RecordAccess, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog, type AuditDeps } from '../audit/index.js';
import * as searchRepo from './patient-search.repository.js';
import * as repo from './patients.repository.js';
import * as encounters from './encounters.repository.js';
import { EncounterStatus, type EncounterSearch, type EncounterUpdate, type NewEncounter } from './patients.schemas.js';

/**
 * Encounters (UHDDS: one visit or stay per account number): add, change, cancel, list and search. The *InTx
 * functions run in a caller's transaction (the ADT interface applies a message and its status in one).
 */
export interface EncounterDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
}

export interface EncounterView {
  id: string;
  patientId: string;
  accountNumber: string;
  type: string;
  status: string;
  admitAt: string;
  dischargeAt: string | null;
  attendingProviderId: string | null;
  admissionSource: string | null;
  admissionType: string | null;
  dischargeStatus: string | null;
  payerName: string | null;
  reasonForVisit: string | null;
  location: string | null;
}

export function toEncounterView(e: EncounterTable): EncounterView {
  return {
    id: e.id,
    patientId: e.patient_id,
    accountNumber: e.account_number,
    type: e.type,
    status: e.status,
    admitAt: e.admit_at,
    dischargeAt: e.discharge_at,
    attendingProviderId: e.attending_provider_id,
    admissionSource: e.admission_source,
    admissionType: e.admission_type,
    dischargeStatus: e.discharge_status,
    payerName: e.payer_name,
    reasonForVisit: e.reason_for_visit,
    location: e.location ?? null,
  };
}

function checkDates(admitAt: string, dischargeAt: string | null): void {
  if (dischargeAt && Date.parse(dischargeAt) < Date.parse(admitAt)) throw invalid('dischargeAt: the discharge is before the admission');
}

/** Inserts an encounter for an opened patient record (account numbers are unique per facility). */
export async function insertEncounterInTx(
  trx: Db,
  deps: AuditDeps,
  scope: RecordScope,
  input: NewEncounter & { status?: EncounterStatus; location?: string | null },
  source = 'registration',
  /** The caller has loaded the patient and found the account number free (the ADT interface does both). */
  checked?: PatientTable,
): Promise<EncounterTable> {
  const p = checked?.id === scope.patientId ? checked : await repo.readPatient(trx, scope);
  if (!p || p.merged_into !== null) throw notFound('patient');
  checkDates(input.admitAt, input.dischargeAt ?? null);
  if (!checked) {
    if (await encounters.isAccountNumberTaken(trx, p.facility_id, input.accountNumber))
      throw conflict('accountNumber: this account number is already used at the facility');
  }
  const now = isoNow(deps.clock);
  const row: EncounterTable = {
    patient_id: p.id,
    id: newId(),
    facility_id: p.facility_id,
    account_number: input.accountNumber,
    type: input.type,
    status: input.status ?? (input.dischargeAt ? EncounterStatus.discharged : EncounterStatus.active),
    admit_at: new Date(input.admitAt).toISOString(),
    discharge_at: input.dischargeAt ? new Date(input.dischargeAt).toISOString() : null,
    attending_provider_id: input.attendingProviderId ?? null,
    admission_source: input.admissionSource ?? null,
    admission_type: input.admissionType ?? null,
    discharge_status: input.dischargeStatus ?? null,
    payer_name: input.payerName ?? null,
    reason_for_visit: input.reasonForVisit ?? null,
    created_at: now,
    updated_at: now,
    location: input.location ?? null,
  };
  await encounters.insertEncounterRow(trx, scope, row);
  await recordAudit(trx, deps.audit, scope.actor, {
    action: AuditAction.create,
    resourceType: 'encounter',
    resourceId: row.id,
    patientId: p.id,
    outcome: 'success',
    detail: scopeDetail(scope, { source }),
  });
  return row;
}

/** Changes an encounter; `status` may be set by the interface (preadmit -> active, discharge, cancel). */
export async function updateEncounterInTx(
  trx: Db,
  deps: AuditDeps,
  scope: RecordScope,
  e: EncounterTable,
  u: EncounterUpdate & { status?: EncounterStatus },
  source = 'registration',
): Promise<EncounterTable> {
  if (e.patient_id !== scope.patientId) throw notFound('encounter');
  const set: Partial<EncounterTable> = {};
  const put = <K extends keyof EncounterTable>(k: K, v: EncounterTable[K] | undefined) => {
    if (v !== undefined) set[k] = v;
  };
  put('type', u.type);
  put('admit_at', u.admitAt ? new Date(u.admitAt).toISOString() : undefined);
  put('discharge_at', u.dischargeAt === undefined ? undefined : u.dischargeAt === null ? null : new Date(u.dischargeAt).toISOString());
  put('attending_provider_id', u.attendingProviderId);
  put('admission_source', u.admissionSource);
  put('admission_type', u.admissionType);
  put('discharge_status', u.dischargeStatus);
  put('payer_name', u.payerName);
  put('reason_for_visit', u.reasonForVisit);
  put('location', u.location);
  if (u.status) set.status = u.status;
  else if (u.dischargeAt !== undefined && e.status !== EncounterStatus.cancelled)
    set.status = u.dischargeAt ? EncounterStatus.discharged : EncounterStatus.active;
  const after = { ...e, ...set };
  checkDates(after.admit_at, after.discharge_at);
  const fields = Object.keys(set).filter((k) => set[k as keyof EncounterTable] !== e[k as keyof EncounterTable]);
  if (fields.length === 0) return e;
  after.updated_at = isoNow(deps.clock);
  await encounters.updateEncounterRow(trx, scope, e.id, set, after.updated_at);
  await recordAudit(trx, deps.audit, scope.actor, {
    action: AuditAction.update,
    resourceType: 'encounter',
    resourceId: e.id,
    patientId: e.patient_id,
    outcome: 'success',
    detail: scopeDetail(scope, { fields, source }),
  });
  return after;
}

/** Adds an encounter (visit or stay) to a patient. */
export async function createEncounter(deps: EncounterDeps, actor: Actor, patientId: string, input: NewEncounter): Promise<{ id: string }> {
  const scope = await deps.records.open(
    actor,
    { patientId },
    { permission: Permission.encounterWrite, mode: 'write', resourceType: 'encounter' },
  );
  return deps.db.transaction().execute(async (trx) => ({ id: (await insertEncounterInTx(trx, deps, scope, input)).id }));
}

/** Changes an encounter (registration corrections: admit time, type, attending, discharge status, ...). */
export async function updateEncounter(
  deps: EncounterDeps,
  actor: Actor,
  patientId: string,
  encounterId: string,
  u: EncounterUpdate,
): Promise<EncounterView> {
  const scope = await deps.records.open(
    actor,
    { patientId },
    { permission: Permission.encounterWrite, mode: 'write', resourceType: 'encounter', resourceId: encounterId },
  );
  return deps.db.transaction().execute(async (trx) => {
    const e = await encounters.findEncounter(trx, scope, encounterId);
    if (!e) throw notFound('encounter');
    if (e.status === EncounterStatus.cancelled) throw conflict('the encounter is cancelled');
    return toEncounterView(await updateEncounterInTx(trx, deps, scope, e, u));
  });
}

/** Cancels an encounter registered in error (HL7 A11 cancel admit/visit). The row stays, with status cancelled. */
export async function cancelEncounter(
  deps: EncounterDeps,
  actor: Actor,
  patientId: string,
  encounterId: string,
  reason: string | null,
): Promise<EncounterView> {
  const scope = await deps.records.open(
    actor,
    { patientId },
    { permission: Permission.encounterWrite, mode: 'write', resourceType: 'encounter', resourceId: encounterId },
  );
  return deps.db.transaction().execute(async (trx) => {
    const e = await encounters.findEncounter(trx, scope, encounterId);
    if (!e) throw notFound('encounter');
    if (e.status === EncounterStatus.cancelled) return toEncounterView(e);
    const after = await updateEncounterInTx(trx, deps, scope, e, { status: EncounterStatus.cancelled });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.cancel,
      resourceType: 'encounter',
      resourceId: e.id,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { hasReason: reason !== null && reason.trim() !== '' }),
    });
    return toEncounterView(after);
  });
}

/** A patient's encounters, newest first. */
export async function listEncounters(deps: EncounterDeps, actor: Actor, patientId: string): Promise<EncounterView[]> {
  const scope = await deps.records.open(
    actor,
    { patientId },
    { permission: Permission.encounterRead, mode: 'read', resourceType: 'encounter', resourceId: patientId },
  );
  return (await repo.listEncountersOfPatient(deps.db, scope)).map(toEncounterView);
}

export interface EncounterListItem extends EncounterView {
  mrn: string;
  familyName: string;
  givenName: string;
  restricted: boolean;
}

/** Encounter worklist across patients (e.g. active inpatients, discharges of a day). Restricted records show MRN only. */
export async function searchEncounters(deps: EncounterDeps, actor: Actor, f: EncounterSearch): Promise<EncounterListItem[]> {
  const list = await deps.records.openList(actor, { permission: Permission.encounterRead, resourceType: 'encounter' });
  // Status, type and dates are what a restricted record hides: a row matched by them would reveal them. Such rows
  // appear only to a user who may open the record; a search by account number alone shows that the record exists.
  const byHiddenField =
    f.status !== undefined ||
    f.type !== undefined ||
    [f.admittedFrom, f.admittedTo, f.dischargedFrom, f.dischargedTo].some((d) => d !== undefined);
  return deps.db.transaction().execute(async (trx) => {
    const rows = (
      await searchRepo.searchEncounters(trx, list, {
        ...f,
        admittedTo: f.admittedTo && nextDay(f.admittedTo),
        dischargedTo: f.dischargedTo && nextDay(f.dischargedTo),
      })
    )
      .map((r) => ({ r, details: list.showsDetails({ patientId: r.patient_id, restricted: r.restricted }) }))
      .filter((x) => x.details || !byHiddenField);
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'encounter',
      outcome: 'success',
      detail: { resultCount: rows.length },
    });
    return rows.map(({ r, details }) =>
      details
        ? { ...toEncounterView(r), mrn: r.mrn, familyName: r.family_name, givenName: r.given_name, restricted: r.restricted === 1 }
        : restrictedEncounterItem(r),
    );
  });
}

/** A restricted encounter in a list, for a user who has not opened the record: that it exists, and whose it is. */
function restrictedEncounterItem(r: EncounterTable & { mrn: string; family_name: string; given_name: string }): EncounterListItem {
  return {
    id: r.id,
    patientId: r.patient_id,
    accountNumber: r.account_number,
    type: '',
    status: '',
    admitAt: '',
    dischargeAt: null,
    attendingProviderId: null,
    admissionSource: null,
    admissionType: null,
    dischargeStatus: null,
    payerName: null,
    reasonForVisit: null,
    location: null,
    mrn: r.mrn,
    familyName: r.family_name,
    givenName: r.given_name,
    restricted: true,
  };
}

function nextDay(isoDate: string): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
}
