import type { Db } from '../../db/database.js';
import type { PatientTable } from '../../db/schema.js';
import type { Clock } from '../../core/shared/clock.js';
import { isoNow } from '../../core/shared/clock.js';
import type { FieldCipher } from '../../core/shared/crypto.js';
import type { PairScore, PersonRecord } from '../../core/matching/index.js';
import { newId } from '../../core/shared/ids.js';
import { invalid, notFound } from '../../core/errors.js';
import { scopeDetail, type Actor, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import * as facilityRepo from './facilities.repository.js';
import * as writeRepo from './patient-write.repository.js';
import * as repo from './patients.repository.js';
import { formatMrn, ssnLast4 } from './patients.rules.js';
import type { NewPatient, PatientUpdate } from './patients.schemas.js';

/** A stored record likely to be the person looked up, with its score and the field-by-field explanation. */
export interface MatchCandidate {
  patient: PatientTable;
  score: number;
  weight: number;
  explanation: PairScore;
}

/**
 * The master patient index's part in registration (the port the mpi module implements, `createPatientMatching`;
 * wired in src/app/bootstrap.ts): the match keys and the duplicate screen of each written patient, and the
 * candidate look-up. Patients declare it and mpi implements it, so that mpi may depend on patients and not the
 * other way round.
 */
export interface PatientMatching {
  /**
   * After a patient row was inserted or its demographics or names changed, in the writer's transaction: refreshes its
   * match keys (`aliases`: a new patient's other names, just inserted) and screens it for duplicates; answers the
   * number of new pairs on the potential-duplicate worklist.
   */
  afterWrite(
    trx: Db,
    patient: PatientTable,
    opts: {
      source: string;
      at: string;
      isNew?: boolean;
      aliases?: { givenName: string; familyName: string; middleName?: string | undefined }[];
    },
  ): Promise<number>;
  /** Existing, unmerged records likely to be `person`, best first (threshold: the registration candidate threshold by default). */
  findCandidates(db: Db, person: PersonRecord, opts: { limit: number; threshold?: number | undefined }): Promise<MatchCandidate[]>;
}

/**
 * Patient writes that run inside a caller's transaction: the registration service, the ADT interface and the
 * merge service share them, so each change, its match keys, its worklist entries and its audit event commit together.
 */
export interface PatientWriteDeps {
  clock: Clock;
  audit: AuditLog;
  /** Encrypts the SSN. */
  cipher: FieldCipher;
  matching: PatientMatching;
}

type Lists = Pick<NewPatient, 'insurance' | 'identifiers' | 'nextOfKin' | 'aliases'>;

/** Inserts a patient with the facility's next MRN, its lists and match keys; screens for duplicates; audits. */
export async function insertPatient(
  trx: Db,
  deps: PatientWriteDeps,
  actor: Actor,
  input: NewPatient,
  source = 'registration',
): Promise<{ id: string; mrn: string; newDuplicatePairs: number; row: PatientTable }> {
  const sequence = await facilityRepo.takeNextMrnSequence(trx, input.facilityId);
  if (sequence === undefined) throw invalid('facilityId: no such facility');
  const mrn = formatMrn(sequence);
  const id = newId();
  const now = isoNow(deps.clock);
  const row: PatientTable = {
    id,
    facility_id: input.facilityId,
    mrn,
    family_name: input.familyName,
    given_name: input.givenName,
    middle_name: input.middleName ?? null,
    date_of_birth: input.dateOfBirth ?? null,
    sex: input.sex,
    race: input.race ?? null,
    ethnicity: input.ethnicity ?? null,
    address_line1: input.address?.line1 ?? null,
    address_line2: input.address?.line2 ?? null,
    city: input.address?.city ?? null,
    state: input.address?.state ?? null,
    postal_code: input.address?.postalCode ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    ssn_encrypted: input.ssn ? deps.cipher.encrypt(input.ssn) : null,
    ssn_last4: input.ssn ? ssnLast4(input.ssn) : null,
    deceased: input.deceasedAt ? 1 : 0,
    deceased_at: input.deceasedAt ?? null,
    restricted: input.restricted ? 1 : 0,
    restriction_reason: input.restricted ? (input.restrictionReason ?? 'restricted') : null,
    merged_into: null,
    created_at: now,
    updated_at: now,
  };
  await writeRepo.insertNewPatient(trx, row, listRows(id, input));
  const newDuplicatePairs = await deps.matching.afterWrite(trx, row, { source, at: now, isNew: true, aliases: input.aliases ?? [] });
  await recordAudit(trx, deps.audit, actor, {
    action: AuditAction.create,
    resourceType: 'patient',
    resourceId: id,
    patientId: id,
    outcome: 'success',
    detail: { source, ...(newDuplicatePairs ? { newDuplicatePairs } : {}) },
  });
  return { id, mrn, newDuplicatePairs, row };
}

/** The rows of each list present in `lists` (absent lists stay as stored). */
function listRows(patientId: string, lists: Lists): writeRepo.PatientListRows {
  return {
    insurance: lists.insurance?.map((ins, i) => ({
      patient_id: patientId,
      id: newId(),
      priority: i + 1,
      payer_name: ins.payerName,
      payer_id: ins.payerId ?? null,
      plan_type: ins.planType ?? null,
      member_id: ins.memberId,
      group_number: ins.groupNumber ?? null,
      subscriber_name: ins.subscriberName ?? null,
      subscriber_relationship: ins.relationship ?? null,
    })),
    identifiers: lists.identifiers?.map((i) => ({
      patient_id: patientId,
      id: newId(),
      system: i.system,
      value: i.value,
      type: i.type ?? null,
    })),
    nextOfKin: lists.nextOfKin?.map((k) => ({
      patient_id: patientId,
      id: newId(),
      name: k.name,
      relationship: k.relationship ?? null,
      phone: k.phone ?? null,
    })),
    aliases: lists.aliases?.map((a) => ({
      patient_id: patientId,
      id: newId(),
      use: a.use,
      family_name: a.familyName,
      given_name: a.givenName,
      middle_name: a.middleName ?? null,
    })),
  };
}

/** Column changes of an update: only the fields present; `null` clears. */
function changedColumns(deps: PatientWriteDeps, u: PatientUpdate, before: PatientTable): Partial<PatientTable> {
  const set: Partial<PatientTable> = {};
  const put = <K extends keyof PatientTable>(k: K, v: PatientTable[K] | undefined) => {
    if (v !== undefined) set[k] = v;
  };
  put('family_name', u.familyName);
  put('given_name', u.givenName);
  put('middle_name', u.middleName);
  put('date_of_birth', u.dateOfBirth);
  put('sex', u.sex);
  put('race', u.race);
  put('ethnicity', u.ethnicity);
  put('address_line1', u.address?.line1);
  put('address_line2', u.address?.line2);
  put('city', u.address?.city);
  put('state', u.address?.state);
  put('postal_code', u.address?.postalCode);
  put('phone', u.phone);
  put('email', u.email);
  // The SSN is encrypted with a fresh nonce each time: compare the plaintext, or every feed message carrying the
  // same SSN would count as a change (an update, its audit event, new match keys and a duplicate screen).
  const sameSsn =
    u.ssn !== undefined &&
    (u.ssn ? before.ssn_encrypted !== null && deps.cipher.decrypt(before.ssn_encrypted) === u.ssn : before.ssn_encrypted === null);
  if (u.ssn !== undefined && !sameSsn) {
    set.ssn_encrypted = u.ssn ? deps.cipher.encrypt(u.ssn) : null;
    set.ssn_last4 = u.ssn ? ssnLast4(u.ssn) : null;
  }
  if (u.deceasedAt !== undefined) {
    set.deceased = u.deceasedAt ? 1 : 0;
    set.deceased_at = u.deceasedAt;
  }
  return set;
}

/**
 * Applies a change to a stored patient: columns, lists, match keys and duplicate screening, one audit event
 * naming the changed fields (names only, no values). A legal-name change keeps the former name as an alias
 * (use "previous"), so that searches under the old name still find the record.
 */
export async function updatePatientInTx(
  trx: Db,
  deps: PatientWriteDeps,
  scope: RecordScope,
  u: PatientUpdate,
  source = 'registration',
  loaded?: PatientTable,
): Promise<PatientTable> {
  const patientId = scope.patientId;
  const before = loaded?.id === patientId ? loaded : await repo.findPatientById(trx, patientId);
  if (!before || before.merged_into !== null) throw notFound('patient');
  const set = changedColumns(deps, u, before);
  const changed = Object.keys(set).filter((k) => set[k as keyof PatientTable] !== before[k as keyof PatientTable]);
  const nameChanged =
    (set.family_name !== undefined && set.family_name !== before.family_name) ||
    (set.given_name !== undefined && set.given_name !== before.given_name);
  const now = isoNow(deps.clock);
  const after: PatientTable = { ...before, ...set, updated_at: now };
  if (changed.length > 0) await writeRepo.updatePatientRow(trx, scope, { ...set, updated_at: now });
  await writeRepo.replacePatientLists(trx, scope, listRows(patientId, u));
  if (nameChanged && !u.aliases) {
    if (!(await writeRepo.hasOtherName(trx, scope, before.family_name, before.given_name))) {
      await writeRepo.insertOtherNames(trx, scope, [
        {
          patient_id: patientId,
          id: newId(),
          use: 'previous',
          family_name: before.family_name,
          given_name: before.given_name,
          middle_name: before.middle_name,
        },
      ]);
    }
  }
  const lists = (['insurance', 'identifiers', 'nextOfKin', 'aliases'] as const).filter((k) => u[k] !== undefined);
  if (changed.length > 0 || u.aliases !== undefined || nameChanged) await deps.matching.afterWrite(trx, after, { source, at: now });
  if (changed.length > 0 || lists.length > 0) {
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.update,
      resourceType: 'patient',
      resourceId: patientId,
      patientId,
      outcome: 'success',
      detail: scopeDetail(scope, { fields: [...changed, ...lists], source }),
    });
  }
  return after;
}

/** Sets or lifts the restriction of an opened record (VIP, employee, sensitive), audited with the new state. */
export async function setRestrictionInTx(
  trx: Db,
  deps: { clock: Clock; audit: AuditLog },
  scope: RecordScope,
  restricted: boolean,
  reason: string | null,
): Promise<void> {
  const p = await repo.readPatient(trx, scope);
  if (!p || p.merged_into !== null) throw notFound('patient');
  await writeRepo.updatePatientRow(trx, scope, {
    restricted: restricted ? 1 : 0,
    restriction_reason: restricted ? (reason ?? 'restricted') : null,
    updated_at: isoNow(deps.clock),
  });
  await recordAudit(trx, deps.audit, scope.actor, {
    action: AuditAction.update,
    resourceType: 'patient',
    resourceId: p.id,
    patientId: p.id,
    outcome: 'success',
    detail: scopeDetail(scope, { restricted }),
  });
}

/**
 * HL7 A47 (change an identifier): the record's identifier `from` becomes `to` (when the record does not carry `from`,
 * `to` is added), audited with the identifier's system and type, never its value.
 */
export async function changeIdentifierInTx(
  trx: Db,
  deps: { audit: AuditLog },
  scope: RecordScope,
  from: { system: string; value: string },
  to: { system: string; value: string; type: string | null },
  source: string,
): Promise<void> {
  const replaced = await writeRepo.replaceIdentifier(trx, scope, from, to);
  const added = replaced ? 0 : (await addMissingInTx(trx, scope, [to], undefined)).identifiers;
  if (!replaced && added === 0) return;
  await recordAudit(trx, deps.audit, scope.actor, {
    action: AuditAction.update,
    resourceType: 'patient_identifier',
    resourceId: scope.patientId,
    patientId: scope.patientId,
    outcome: 'success',
    detail: scopeDetail(scope, { system: to.system, type: to.type, change: replaced ? 'replaced' : 'added', source }),
  });
}

/**
 * Adds the identifiers and alias names the record does not have yet (never removes: other feeds may own them),
 * audited with the counts; answers how many of each were added.
 */
export async function addIdentifiersAndAliasesInTx(
  trx: Db,
  deps: { audit: AuditLog },
  scope: RecordScope,
  ids: { system: string; value: string; type: string | null }[],
  aliases: PatientUpdate['aliases'],
  source: string,
): Promise<{ identifiers: number; aliases: number }> {
  const added = await addMissingInTx(trx, scope, ids, aliases);
  if (added.identifiers + added.aliases > 0) {
    await recordAudit(trx, deps.audit, scope.actor, {
      action: AuditAction.update,
      resourceType: 'patient',
      resourceId: scope.patientId,
      patientId: scope.patientId,
      outcome: 'success',
      detail: scopeDetail(scope, {
        fields: [...(added.identifiers ? ['identifiers'] : []), ...(added.aliases ? ['aliases'] : [])],
        added,
        source,
      }),
    });
  }
  return added;
}

async function addMissingInTx(
  trx: Db,
  scope: RecordScope,
  ids: { system: string; value: string; type: string | null }[],
  aliases: PatientUpdate['aliases'],
): Promise<{ identifiers: number; aliases: number }> {
  const patientId = scope.patientId;
  let identifiers = 0;
  if (ids.length > 0) {
    const have = await writeRepo.listIdentifierKeys(trx, scope);
    const known = new Set(have.map((h) => `${h.system}\u0000${h.value}`));
    const add = ids.filter((i) => !known.has(`${i.system}\u0000${i.value}`));
    await writeRepo.insertIdentifiers(
      trx,
      scope,
      add.map((i) => ({ patient_id: patientId, id: newId(), system: i.system, value: i.value, type: i.type })),
    );
    identifiers = add.length;
  }
  if (!aliases?.length) return { identifiers, aliases: 0 };
  const names = await writeRepo.listOtherNameKeys(trx, scope);
  const nk = new Set(names.map((n) => `${n.family_name}\u0000${n.given_name}`.toLowerCase()));
  const newNames = aliases.filter((a) => !nk.has(`${a.familyName}\u0000${a.givenName}`.toLowerCase()));
  await writeRepo.insertOtherNames(
    trx,
    scope,
    newNames.map((a) => ({
      patient_id: patientId,
      id: newId(),
      use: a.use,
      family_name: a.familyName,
      given_name: a.givenName,
      middle_name: a.middleName ?? null,
    })),
  );
  return { identifiers, aliases: newNames.length };
}
