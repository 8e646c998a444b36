/**
 * SQL of the coding workspace, over the tables it owns (coding_abstracts, coding_abstract_versions, coding_audits and,
 * until a documents module takes them, encounter_documents); every function takes the database or a transaction
 * first. Other modules' tables are only read here, in joins for display columns and filters (src/db/README.md).
 */
import type { Db } from '../../db/database.js';
import type { CodingAbstractTable, CodingAbstractVersionTable, CodingAuditTable, EncounterDocumentTable } from '../../db/schema.js';
import type { ListScope, RecordScope } from '../access/index.js';

/** The encounter id of a scope opened by encounter (coding works on encounters). */
export function encounterOf(scope: RecordScope): string {
  if (!scope.encounterId) throw new Error('coding opens records by encounter');
  return scope.encounterId;
}

export interface WorklistRow {
  encounter_id: string;
  patient_id: string;
  mrn: string;
  family_name: string;
  given_name: string;
  account_number: string;
  type: string;
  payer_name: string | null;
  admit_at: string;
  discharge_at: string;
  attending_family: string | null;
  attending_given: string | null;
  status: string | null;
  assigned_to: string | null;
  assignee_name: string | null;
  working_drg: string | null;
  working_drg_title: string | null;
  query_answered: number | null;
  restricted: number;
}

/** Discharged, not cancelled encounters whose abstract is not final (the DNFB), with the columns of the worklist. */
export async function listUncodedEncounters(
  db: Db,
  _list: ListScope,
  f: { type?: string | undefined; payer?: string | undefined; assignedTo?: string | null | undefined },
): Promise<WorklistRow[]> {
  let q = db
    .selectFrom('encounters as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .leftJoin('coding_abstracts as a', 'a.encounter_id', 'e.id')
    // An outpatient, ED or observation visit is coded on the outpatient abstract (src/modules/outpatient): read here
    // for its status only.
    .leftJoin('outpatient_abstracts as o', 'o.encounter_id', 'e.id')
    .leftJoin('providers as pr', 'pr.id', 'e.attending_provider_id')
    .leftJoin('users as u', 'u.id', 'a.assigned_to')
    .select((eb) => eb.fn.coalesce('a.status', 'o.status').as('status'))
    .select([
      'e.id as encounter_id',
      'e.patient_id',
      'p.mrn',
      'p.family_name',
      'p.given_name',
      'e.account_number',
      'e.type',
      'e.payer_name',
      'e.admit_at',
      'e.discharge_at',
      'pr.family_name as attending_family',
      'pr.given_name as attending_given',
      'a.assigned_to',
      'u.display_name as assignee_name',
      'a.working_drg',
      'a.working_drg_title',
      'a.query_answered',
      'p.restricted',
    ])
    .where('e.discharge_at', 'is not', null)
    .where('e.status', '!=', 'cancelled')
    .where('p.merged_into', 'is', null)
    .where((eb) => eb.or([eb('a.status', 'is', null), eb('a.status', '!=', 'final')]))
    .where((eb) => eb.or([eb('o.status', 'is', null), eb('o.status', '!=', 'final')]));
  if (f.type) q = q.where('e.type', '=', f.type);
  if (f.payer) q = q.where('e.payer_name', '=', f.payer);
  if (f.assignedTo === null) q = q.where('a.assigned_to', 'is', null);
  else if (f.assignedTo) q = q.where('a.assigned_to', '=', f.assignedTo);
  return (await q.execute()) as WorklistRow[];
}

export async function findAbstract(db: Db, scope: RecordScope): Promise<CodingAbstractTable | undefined> {
  return db
    .selectFrom('coding_abstracts')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterOf(scope))
    .executeTakeFirst();
}

export async function insertAbstract(db: Db, row: CodingAbstractTable): Promise<void> {
  await db.insertInto('coding_abstracts').values(row).execute();
}

export async function updateAbstract(db: Db, scope: RecordScope, set: Partial<CodingAbstractTable>): Promise<void> {
  await db
    .updateTable('coding_abstracts')
    .set(set)
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterOf(scope))
    .execute();
}

export async function insertVersion(db: Db, row: CodingAbstractVersionTable): Promise<void> {
  await db.insertInto('coding_abstract_versions').values(row).execute();
}

export async function listVersions(db: Db, scope: RecordScope): Promise<CodingAbstractVersionTable[]> {
  return db
    .selectFrom('coding_abstract_versions')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterOf(scope))
    .orderBy('version', 'desc')
    .execute();
}

export async function findVersion(db: Db, scope: RecordScope, version: number): Promise<CodingAbstractVersionTable | undefined> {
  return db
    .selectFrom('coding_abstract_versions')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterOf(scope))
    .where('version', '=', version)
    .executeTakeFirst();
}

/** The encounter of an opened record with the patient facts coding needs (age, sex) and the attending's name. */
export async function findEncounterForCoding(db: Db, scope: RecordScope) {
  return db
    .selectFrom('encounters as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .leftJoin('providers as pr', 'pr.id', 'e.attending_provider_id')
    .select([
      'e.id',
      'e.patient_id',
      'e.account_number',
      'e.type',
      'e.status',
      'e.admit_at',
      'e.discharge_at',
      'e.discharge_status',
      'e.payer_name',
      'e.reason_for_visit',
      'e.attending_provider_id',
      'e.admission_type',
      'e.admission_source',
      'p.mrn',
      'p.family_name',
      'p.given_name',
      'p.date_of_birth',
      'p.sex',
      'p.restricted',
      'p.merged_into',
      'pr.family_name as attending_family',
      'pr.given_name as attending_given',
      'pr.credentials as attending_credentials',
    ])
    .where('e.id', '=', encounterOf(scope))
    .where('e.patient_id', '=', scope.patientId)
    .executeTakeFirst();
}
export type EncounterForCoding = NonNullable<Awaited<ReturnType<typeof findEncounterForCoding>>>;

/** By encounter only: an MPI merge moves the encounter to the survivor and its documents follow it here. */
export async function listDocuments(db: Db, scope: RecordScope) {
  return db
    .selectFrom('encounter_documents')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterOf(scope))
    .orderBy('authored_at')
    .execute();
}

/** Files a document with an opened encounter (a query response, a demo note). */
export async function insertDocument(db: Db, scope: RecordScope, row: EncounterDocumentTable): Promise<void> {
  if (row.patient_id !== scope.patientId || row.encounter_id !== encounterOf(scope))
    throw new Error('the document belongs to another record than the scope');
  await db.insertInto('encounter_documents').values(row).execute();
}

export async function listProviders(db: Db) {
  return db
    .selectFrom('providers')
    .select(['id', 'family_name', 'given_name', 'credentials', 'specialty'])
    .orderBy('family_name')
    .execute();
}

/** Final-coded encounters (or ones this auditor audits) for the auditors' list, newest coding first. */
export async function listAuditCandidates(db: Db, _list: ListScope, auditorId: string, limit: number) {
  return db
    .selectFrom('coding_abstracts as a')
    .innerJoin('encounters as e', 'e.id', 'a.encounter_id')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .leftJoin('coding_audits as x', (j) => j.onRef('x.encounter_id', '=', 'a.encounter_id').on('x.auditor_id', '=', auditorId))
    .select([
      'a.encounter_id',
      'a.patient_id',
      'p.restricted',
      'p.mrn',
      'e.account_number',
      'e.type',
      'e.discharge_at',
      'a.coded_at',
      'x.id as audit_id',
      'x.status as audit_status',
      'x.agreement',
    ])
    .where((eb) => eb.or([eb('a.status', '=', 'final'), eb('x.id', 'is not', null)]))
    .orderBy('a.coded_at', 'desc')
    .limit(limit)
    .execute();
}

/** The encounter an auditor's audit is about (ids only), for opening the record. */
export async function findAuditTarget(db: Db, auditId: string, auditorId: string): Promise<{ encounter_id: string } | undefined> {
  return db
    .selectFrom('coding_audits')
    .select('encounter_id')
    .where('id', '=', auditId)
    .where('auditor_id', '=', auditorId)
    .executeTakeFirst();
}

export async function findAudit(db: Db, scope: RecordScope, auditId: string, auditorId: string): Promise<CodingAuditTable | undefined> {
  return db
    .selectFrom('coding_audits')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', auditId)
    .where('auditor_id', '=', auditorId)
    .executeTakeFirst();
}

export async function findOpenAudit(db: Db, scope: RecordScope, auditorId: string): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('coding_audits')
    .select('id')
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterOf(scope))
    .where('auditor_id', '=', auditorId)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
}

export async function insertAudit(db: Db, row: CodingAuditTable): Promise<void> {
  await db.insertInto('coding_audits').values(row).execute();
}

export async function updateAudit(db: Db, scope: RecordScope, auditId: string, set: Partial<CodingAuditTable>): Promise<void> {
  await db.updateTable('coding_audits').set(set).where('patient_id', '=', scope.patientId).where('id', '=', auditId).execute();
}

/** This module's tables of one patient's rows: each row belongs to an encounter and follows it in an MPI merge. */
export const CODING_PATIENT_TABLES = ['encounter_documents', 'coding_abstracts', 'coding_abstract_versions', 'coding_audits'] as const;

/** Moves the rows of encounters that moved from record `from` to record `to` (each encounter's id before and after). */
export async function moveEncounterRows(
  db: Db,
  from: RecordScope,
  to: RecordScope,
  encounters: readonly { from: string; to: string }[],
): Promise<void> {
  for (const e of encounters) {
    for (const table of CODING_PATIENT_TABLES) {
      await db
        .updateTable(table)
        .set({ patient_id: to.patientId, encounter_id: e.to })
        .where('patient_id', '=', from.patientId)
        .where('encounter_id', '=', e.from)
        .execute();
    }
  }
}

/** Display names of users (coders, authors); users are read here, never written. */
export async function userDisplayNames(db: Db, ids: readonly string[]): Promise<{ id: string; display_name: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...ids])
    .execute();
}

/** A user's role and whether the account is disabled (an assignment goes to an active coder only). */
export async function findUserRole(db: Db, userId: string): Promise<{ id: string; role: string; disabled: number } | undefined> {
  return db.selectFrom('users').select(['id', 'role', 'disabled']).where('id', '=', userId).executeTakeFirst();
}

/** Active users of a role, by name (the director's assignment list). */
export async function listActiveUsersOfRole(db: Db, role: string): Promise<{ id: string; display_name: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('role', '=', role)
    .where('disabled', '=', 0)
    .orderBy('display_name')
    .execute();
}

/** Final versions saved in the range (ISO bounds, inclusive), by whom and when, with the encounter's type (productivity). */
export async function listFinalVersionsBetween(
  db: Db,
  range: { from: string; to: string },
): Promise<{ saved_by: string; saved_at: string; type: string }[]> {
  return db
    .selectFrom('coding_abstract_versions as v')
    .innerJoin('encounters as e', 'e.id', 'v.encounter_id')
    .select(['v.saved_by', 'v.saved_at', 'e.type'])
    .where('v.kind', '=', 'final')
    .where('v.saved_at', '>=', range.from)
    .where('v.saved_at', '<=', range.to)
    .execute();
}

/** Audits submitted in the range (ISO bounds, inclusive) with the coder of the version audited. */
export async function listSubmittedAuditsBetween(
  db: Db,
  range: { from: string; to: string },
): Promise<{ encounter_id: string; agreement: string | null; submitted_at: string | null; coder_id: string }[]> {
  return db
    .selectFrom('coding_audits as x')
    .innerJoin('coding_abstract_versions as v', (j) =>
      j.onRef('v.encounter_id', '=', 'x.encounter_id').onRef('v.version', '=', 'x.coder_version'),
    )
    .select(['x.encounter_id', 'x.agreement', 'x.submitted_at', 'v.saved_by as coder_id'])
    .where('x.status', '=', 'submitted')
    .where('x.submitted_at', '>=', range.from)
    .where('x.submitted_at', '<=', range.to)
    .execute();
}

/** The reopenings of these encounters' abstracts (when each was saved). */
export async function listReopensOf(db: Db, encounterIds: readonly string[]): Promise<{ encounter_id: string; saved_at: string }[]> {
  return db
    .selectFrom('coding_abstract_versions')
    .select(['encounter_id', 'saved_at'])
    .where('kind', '=', 'reopen')
    .where('encounter_id', 'in', [...encounterIds])
    .execute();
}

/** The DRG of every saved version of these encounters, with when it was saved (the DRG before a query's answer). */
export async function listVersionDrgsOf(
  db: Db,
  encounterIds: readonly string[],
): Promise<{ encounter_id: string; drg: string | null; saved_at: string }[]> {
  if (encounterIds.length === 0) return [];
  return db
    .selectFrom('coding_abstract_versions')
    .select(['encounter_id', 'drg', 'saved_at'])
    .where('encounter_id', 'in', [...encounterIds])
    .orderBy('saved_at')
    .execute();
}
