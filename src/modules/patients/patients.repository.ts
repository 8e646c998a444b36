import { sql } from 'kysely';
import { runCached, type Db } from '../../db/database.js';
import type {
  EncounterTable,
  NextOfKinTable,
  PatientIdentifierTable,
  PatientInsuranceTable,
  PatientNameTable,
  PatientTable,
} from '../../db/schema.js';
import type { RecordFacts, RecordScope, RecordTarget } from '../access/index.js';

/**
 * SQL reads of patient records: the record-access step's facts, an opened record's rows, and the MPI's batch reads.
 * The module's other tables and statements: facilities.repository.ts (facilities, providers, the MRN sequence),
 * patient-search.repository.ts (searches), patient-adt.repository.ts (the ADT look-ups), patient-write.repository.ts
 * (registration and edits), patient-merge.repository.ts (MPI merges), encounters.repository.ts (encounters). Every
 * function takes the database or a transaction first; those of one patient's existing record take its RecordScope.
 */

/**
 * The facts the record-access step needs (the RecordDirectory port): the patient of an encounter, the restriction
 * and the merge state. An encounter of a merged-away patient is not found (its rows moved to the survivor).
 */
export async function findRecordFacts(db: Db, target: RecordTarget): Promise<RecordFacts | undefined> {
  if ('patientId' in target) {
    const [p] = await runCached<{ id: string; restricted: number; merged_into: string | null }>(
      db,
      'record-facts-patient',
      () => db.selectFrom('patients').select(['id', 'restricted', 'merged_into']).where('id', '=', '').compile(),
      [target.patientId],
    );
    return p ? { patientId: p.id, encounterId: null, restricted: p.restricted === 1, mergedInto: p.merged_into } : undefined;
  }
  const [e] = await runCached<{ id: string; patient_id: string; restricted: number; merged_into: string | null }>(
    db,
    'record-facts-encounter',
    () =>
      db
        .selectFrom('encounters as e')
        .innerJoin('patients as p', 'p.id', 'e.patient_id')
        .select(['e.id', 'e.patient_id', 'p.restricted', 'p.merged_into'])
        .where('e.id', '=', '')
        .compile(),
    [target.encounterId],
  );
  if (!e || e.merged_into !== null) return undefined;
  return { patientId: e.patient_id, encounterId: e.id, restricted: e.restricted === 1, mergedInto: null };
}

/** Which of these patients are restricted (ids only), for lists that carry patient ids. */
export async function restrictedAmong(db: Db, patientIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < patientIds.length; i += 500) {
    const chunk = patientIds.slice(i, i + 500);
    if (chunk.length === 0) continue;
    for (const r of await db.selectFrom('patients').select('id').where('id', 'in', chunk).where('restricted', '=', 1).execute())
      out.add(r.id);
  }
  return out;
}

/** The patient row of an opened record. */
export async function readPatient(db: Db, scope: RecordScope): Promise<PatientTable | undefined> {
  return findPatientById(db, scope.patientId);
}

/** The lists of an opened record: aliases, identifiers, insurance (by priority), next of kin. */
export async function readPatientLists(
  db: Db,
  scope: RecordScope,
): Promise<{
  aliases: PatientNameTable[];
  identifiers: PatientIdentifierTable[];
  insurance: PatientInsuranceTable[];
  nextOfKin: NextOfKinTable[];
}> {
  const id = scope.patientId;
  const [aliases, identifiers, insurance, nextOfKin] = await Promise.all([
    db.selectFrom('patient_names').selectAll().where('patient_id', '=', id).execute(),
    db.selectFrom('patient_identifiers').selectAll().where('patient_id', '=', id).execute(),
    db.selectFrom('patient_insurance').selectAll().where('patient_id', '=', id).orderBy('priority').execute(),
    db.selectFrom('next_of_kin').selectAll().where('patient_id', '=', id).execute(),
  ]);
  return { aliases, identifiers, insurance, nextOfKin };
}

export async function findPatientById(db: Db, id: string): Promise<PatientTable | undefined> {
  return (
    await runCached<PatientTable>(db, 'patient-by-id', () => db.selectFrom('patients').selectAll().where('id', '=', '').compile(), [id])
  )[0];
}

export async function findPatientByMrn(db: Db, facilityId: string, mrn: string): Promise<PatientTable | undefined> {
  return db.selectFrom('patients').selectAll().where('facility_id', '=', facilityId).where('mrn', '=', mrn).executeTakeFirst();
}

export async function listEncountersOfPatient(db: Db, scope: RecordScope): Promise<(EncounterTable & { attending_name: string | null })[]> {
  return db
    .selectFrom('encounters as e')
    .leftJoin('providers as p', 'p.id', 'e.attending_provider_id')
    .selectAll('e')
    .select(sql<string | null>`case when p.id is null then null else p.family_name || ', ' || p.given_name end`.as('attending_name'))
    .where('e.patient_id', '=', scope.patientId)
    .orderBy('e.admit_at', 'desc')
    .execute();
}

/** Other names (alias, maiden, previous, merged) of these patients, for the MPI's matching under any name the person used. */
export async function listOtherNames(
  db: Db,
  patientIds: readonly string[],
): Promise<Pick<PatientNameTable, 'patient_id' | 'given_name' | 'family_name' | 'middle_name'>[]> {
  if (patientIds.length === 0) return [];
  return db
    .selectFrom('patient_names')
    .select(['patient_id', 'given_name', 'family_name', 'middle_name'])
    .where('patient_id', 'in', [...patientIds])
    .execute();
}

/**
 * The next `limit` unmerged patients in id order after `afterId`: the MPI's batch work over every record (match-key
 * rebuild, model fit, duplicate scan), which reads demographics to compare them and shows none.
 */
export async function listUnmergedPatientsAfter(db: Db, afterId: string, limit: number): Promise<PatientTable[]> {
  return db
    .selectFrom('patients')
    .selectAll()
    .where('id', '>', afterId)
    .where('merged_into', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Patient rows by id, merged ones included (read 500 ids per statement), for the MPI's comparison of stored pairs. */
export async function findPatientsByIds(db: Db, ids: readonly string[]): Promise<Map<string, PatientTable>> {
  const out = new Map<string, PatientTable>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of await db
      .selectFrom('patients')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 500))
      .execute())
      out.set(row.id, row);
  }
  return out;
}
