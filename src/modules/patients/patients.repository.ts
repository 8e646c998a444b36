import { sql, type SqlBool } from 'kysely';
import { runCached, type Db } from '../../db/database.js';
import type { EncounterTable, NextOfKinTable, PatientIdentifierTable, PatientInsuranceTable, PatientNameTable, PatientTable } from '../../db/schema.js';
import type { ListScope, RecordFacts, RecordScope, RecordTarget } from '../access/index.js';
import type { PatientQuery } from './patients.rules.js';

/**
 * The facts the record-access step needs (the RecordDirectory port): the patient of an encounter, the restriction
 * and the merge state. An encounter of a merged-away patient is not found (its rows moved to the survivor).
 */
export async function findRecordFacts(db: Db, target: RecordTarget): Promise<RecordFacts | undefined> {
  if ('patientId' in target) {
    const [p] = await runCached<{ id: string; restricted: number; merged_into: string | null }>(db, 'record-facts-patient', () => db.selectFrom('patients').select(['id', 'restricted', 'merged_into']).where('id', '=', '').compile(), [target.patientId]);
    return p ? { patientId: p.id, encounterId: null, restricted: p.restricted === 1, mergedInto: p.merged_into } : undefined;
  }
  const [e] = await runCached<{ id: string; patient_id: string; restricted: number; merged_into: string | null }>(db, 'record-facts-encounter', () =>
    db.selectFrom('encounters as e').innerJoin('patients as p', 'p.id', 'e.patient_id').select(['e.id', 'e.patient_id', 'p.restricted', 'p.merged_into']).where('e.id', '=', '').compile(), [target.encounterId]);
  if (!e || e.merged_into !== null) return undefined;
  return { patientId: e.patient_id, encounterId: e.id, restricted: e.restricted === 1, mergedInto: null };
}

/** Which of these patients are restricted (ids only), for lists that carry patient ids. */
export async function restrictedAmong(db: Db, patientIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < patientIds.length; i += 500) {
    const chunk = patientIds.slice(i, i + 500);
    if (chunk.length === 0) continue;
    for (const r of await db.selectFrom('patients').select('id').where('id', 'in', chunk).where('restricted', '=', 1).execute()) out.add(r.id);
  }
  return out;
}

/** The patient row of an opened record. */
export async function readPatient(db: Db, scope: RecordScope): Promise<PatientTable | undefined> {
  return findPatientById(db, scope.patientId);
}

/** The lists of an opened record: aliases, identifiers, insurance (by priority), next of kin. */
export async function readPatientLists(db: Db, scope: RecordScope): Promise<{ aliases: PatientNameTable[]; identifiers: PatientIdentifierTable[]; insurance: PatientInsuranceTable[]; nextOfKin: NextOfKinTable[] }> {
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
  return (await runCached<PatientTable>(db, 'patient-by-id', () => db.selectFrom('patients').selectAll().where('id', '=', '').compile(), [id]))[0];
}

export async function findPatientByMrn(db: Db, facilityId: string, mrn: string): Promise<PatientTable | undefined> {
  return db.selectFrom('patients').selectAll().where('facility_id', '=', facilityId).where('mrn', '=', mrn).executeTakeFirst();
}

/** `s` with the LIKE wildcards (% and _) and the escape character itself escaped, to match literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * lower(column) starts with `lowerPrefix`, wildcards in it matched literally. The escape character is named, as
 * SQLite has none by default and PostgreSQL's default (backslash) is only a default.
 */
function startsWith(column: string, lowerPrefix: string) {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${escapeLike(lowerPrefix) + '%'} escape '\\'`;
}

/** Case-insensitive prefix search on names (legal and alias names), MRN or date of birth; merged records excluded. */
export async function searchPatients(db: Db, _list: ListScope, q: PatientQuery, limit: number): Promise<PatientTable[]> {
  let query = db.selectFrom('patients').selectAll('patients').where('merged_into', 'is', null);
  if (q.kind === 'mrn') {
    // A retired MRN (of a record merged into this one) is kept as an MR identifier and still finds the survivor.
    query = query.where((eb) => eb.or([
      eb('mrn', '=', q.mrn),
      eb.exists(eb.selectFrom('patient_identifiers as i').select('i.id').whereRef('i.patient_id', '=', 'patients.id').where('i.value', '=', q.mrn).where('i.type', '=', 'MR')),
    ]));
  }
  else if (q.kind === 'dob') query = query.where('date_of_birth', '=', q.dateOfBirth);
  else {
    const fam = q.family.toLowerCase();
    const giv = q.given ? q.given.toLowerCase() : null;
    query = query.where((eb) =>
      eb.or([
        eb.and([startsWith('patients.family_name', fam), ...(giv !== null ? [startsWith('patients.given_name', giv)] : [])]),
        eb.exists(
          eb.selectFrom('patient_names as n')
            .select('n.id')
            .whereRef('n.patient_id', '=', 'patients.id')
            .where(startsWith('n.family_name', fam))
            .$if(giv !== null, (s) => s.where(startsWith('n.given_name', giv!))),
        ),
      ]),
    );
    if (q.dateOfBirth) query = query.where('date_of_birth', '=', q.dateOfBirth);
  }
  return query.orderBy('family_name').orderBy('given_name').orderBy('id').limit(limit).execute();
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

/**
 * Takes the next MRN sequence number of a facility (the update locks the facility row on PostgreSQL); undefined
 * when there is no such facility.
 */
export async function takeNextMrnSequence(db: Db, facilityId: string): Promise<number | undefined> {
  const [row] = await runCached<{ next_mrn: number }>(db, 'take-next-mrn', () => sql`update facilities set next_mrn = next_mrn + 1 where id = ${''} returning next_mrn`.compile(db), [facilityId]);
  return row ? Number(row.next_mrn) - 1 : undefined;
}

/** Encounters across patients by status, type, account number and admit/discharge dates (`...To` exclusive). */
export async function searchEncounters(
  db: Db, _list: ListScope,
  f: { status?: string | undefined; type?: string | undefined; accountNumber?: string | undefined; admittedFrom?: string | undefined; admittedTo?: string | undefined; dischargedFrom?: string | undefined; dischargedTo?: string | undefined; limit: number },
): Promise<(EncounterTable & { mrn: string; family_name: string; given_name: string; restricted: number })[]> {
  let q = db.selectFrom('encounters as e').innerJoin('patients as p', 'p.id', 'e.patient_id').selectAll('e').select(['p.mrn', 'p.family_name', 'p.given_name', 'p.restricted']);
  if (f.status) q = q.where('e.status', '=', f.status);
  if (f.type) q = q.where('e.type', '=', f.type);
  if (f.accountNumber) q = q.where('e.account_number', '=', f.accountNumber);
  if (f.admittedFrom) q = q.where('e.admit_at', '>=', f.admittedFrom);
  if (f.admittedTo) q = q.where('e.admit_at', '<', f.admittedTo);
  if (f.dischargedFrom) q = q.where('e.discharge_at', '>=', f.dischargedFrom);
  if (f.dischargedTo) q = q.where('e.discharge_at', '<', f.dischargedTo);
  return q.orderBy('e.admit_at', 'desc').orderBy(sql`e.id`).limit(f.limit).execute();
}
