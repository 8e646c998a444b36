import { sql, type SqlBool } from 'kysely';
import { insertRows, runCached, type Db } from '../../db/database.js';
import type {
  EncounterTable,
  FacilityTable,
  NextOfKinTable,
  PatientIdentifierTable,
  PatientInsuranceTable,
  PatientNameTable,
  PatientTable,
  ProviderTable,
} from '../../db/schema.js';
import type { ListScope, RecordFacts, RecordScope, RecordTarget } from '../access/index.js';
import type { PatientQuery } from './patients.rules.js';

/**
 * SQL of registration: the tables this module owns (facilities, providers, patients, patient_names,
 * patient_identifiers, patient_insurance, next_of_kin; encounters in encounters.repository.ts). Every function takes
 * the database or a transaction first; those of one patient's existing record take its RecordScope.
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
    query = query.where((eb) =>
      eb.or([
        eb('mrn', '=', q.mrn),
        eb.exists(
          eb
            .selectFrom('patient_identifiers as i')
            .select('i.id')
            .whereRef('i.patient_id', '=', 'patients.id')
            .where('i.value', '=', q.mrn)
            .where('i.type', '=', 'MR'),
        ),
      ]),
    );
  } else if (q.kind === 'dob') query = query.where('date_of_birth', '=', q.dateOfBirth);
  else {
    const fam = q.family.toLowerCase();
    const giv = q.given ? q.given.toLowerCase() : null;
    query = query.where((eb) =>
      eb.or([
        eb.and([startsWith('patients.family_name', fam), ...(giv !== null ? [startsWith('patients.given_name', giv)] : [])]),
        eb.exists(
          eb
            .selectFrom('patient_names as n')
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

/**
 * Unmerged patients whose legal family or given name starts with one of the two-letter prefixes (lower case), at
 * most `limit`: the bounded set a forgiving name search scores in memory (patient-search.rules.ts).
 */
export async function listPatientsByNamePrefixes(
  db: Db,
  _list: ListScope,
  prefixes: readonly string[],
  limit: number,
): Promise<PatientTable[]> {
  if (prefixes.length === 0) return [];
  return db
    .selectFrom('patients')
    .selectAll('patients')
    .where('merged_into', 'is', null)
    .where((eb) => eb.or(prefixes.flatMap((x) => [startsWith('patients.family_name', x), startsWith('patients.given_name', x)])))
    .orderBy('family_name')
    .orderBy('given_name')
    .orderBy('id')
    .limit(limit)
    .execute();
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
  const [row] = await runCached<{ next_mrn: number }>(
    db,
    'take-next-mrn',
    () => sql`update facilities set next_mrn = next_mrn + 1 where id = ${''} returning next_mrn`.compile(db),
    [facilityId],
  );
  return row ? row.next_mrn - 1 : undefined;
}

/** Encounters across patients by status, type, account number and admit/discharge dates (`...To` exclusive). */
export async function searchEncounters(
  db: Db,
  _list: ListScope,
  f: {
    status?: string | undefined;
    type?: string | undefined;
    accountNumber?: string | undefined;
    admittedFrom?: string | undefined;
    admittedTo?: string | undefined;
    dischargedFrom?: string | undefined;
    dischargedTo?: string | undefined;
    limit: number;
  },
): Promise<(EncounterTable & { mrn: string; family_name: string; given_name: string; restricted: number })[]> {
  let q = db
    .selectFrom('encounters as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .selectAll('e')
    .select(['p.mrn', 'p.family_name', 'p.given_name', 'p.restricted']);
  if (f.status) q = q.where('e.status', '=', f.status);
  if (f.type) q = q.where('e.type', '=', f.type);
  if (f.accountNumber) q = q.where('e.account_number', '=', f.accountNumber);
  if (f.admittedFrom) q = q.where('e.admit_at', '>=', f.admittedFrom);
  if (f.admittedTo) q = q.where('e.admit_at', '<', f.admittedTo);
  if (f.dischargedFrom) q = q.where('e.discharge_at', '>=', f.dischargedFrom);
  if (f.dischargedTo) q = q.where('e.discharge_at', '<', f.dischargedTo);
  return q
    .orderBy('e.admit_at', 'desc')
    .orderBy(sql`e.id`)
    .limit(f.limit)
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

/** Facilities by name, for the registration form. */
export async function listFacilities(db: Db): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('facilities').select(['id', 'name']).orderBy('name').execute();
}

/** The ids of the facilities set up, oldest first (the HL7 interface's default facility is the first). */
export async function listFacilityIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('facilities').select('id').orderBy('created_at').orderBy('id').execute()).map((f) => f.id);
}

/** Sets up a facility (with its MRN sequence). */
export async function insertFacility(db: Db, row: FacilityTable): Promise<void> {
  await db.insertInto('facilities').values(row).execute();
}

/** A provider by NPI, or (when there is none) by name among the providers without an NPI. */
export async function findProviderId(db: Db, by: { npi: string } | { familyName: string; givenName: string }): Promise<string | undefined> {
  let q = db.selectFrom('providers').select('id');
  q =
    'npi' in by
      ? q.where('npi', '=', by.npi)
      : q.where('family_name', '=', by.familyName).where('given_name', '=', by.givenName).where('npi', 'is', null);
  return (await q.executeTakeFirst())?.id;
}

/** Adds a provider (a physician the HL7 feed names, the demo's staff). */
export async function insertProvider(db: Db, row: ProviderTable): Promise<void> {
  await db.insertInto('providers').values(row).execute();
}

/** Every encounter column, so that a visit can be read alongside its patient (prefixed `v_`). */
const VISIT_COLUMNS = Object.keys({
  patient_id: 1,
  id: 1,
  facility_id: 1,
  account_number: 1,
  type: 1,
  status: 1,
  admit_at: 1,
  discharge_at: 1,
  attending_provider_id: 1,
  admission_source: 1,
  admission_type: 1,
  discharge_status: 1,
  payer_name: 1,
  reason_for_visit: 1,
  created_at: 1,
  updated_at: 1,
  location: 1,
} satisfies Record<keyof EncounterTable, 1>) as (keyof EncounterTable)[];
const visitSelection = VISIT_COLUMNS.map((c) => `v.${c} as v_${c}`).join(', ');

/** A patient found by an ADT look-up, with the visit of the account number asked for (null: none; absent: not asked). */
export interface PatientWithVisit {
  patient: PatientTable;
  visit?: EncounterTable | null;
}

/** The visit read with a patient row (null when the account number has none), and the patient row alone. */
function splitVisit(row: Record<string, unknown>): { patient: PatientTable; visit: EncounterTable | null } {
  const patient: Record<string, unknown> = {};
  const visit: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.startsWith('v_')) visit[k.slice(2)] = v;
    else patient[k] = v;
  }
  return { patient: patient as unknown as PatientTable, visit: visit.id == null ? null : (visit as unknown as EncounterTable) };
}

/**
 * The patient with this MRN at this facility (merged or not). With `account`, the same statement also reads the visit
 * of that account number in the patient's facility, whoever it belongs to. The HL7 interface's hot path (every
 * message): one statement, its SQL compiled once (runCached).
 */
export async function findPatientByMrnWithVisit(
  db: Db,
  facilityId: string,
  mrn: string,
  account?: string,
): Promise<PatientWithVisit | undefined> {
  return findForAdt(db, 'mrn', [facilityId, mrn], account);
}

/** The patient carrying this identifier (merged or not), with the visit of `account` as findPatientByMrnWithVisit. */
export async function findPatientByIdentifierWithVisit(
  db: Db,
  system: string,
  value: string,
  account?: string,
): Promise<PatientWithVisit | undefined> {
  return findForAdt(db, 'identifier', [system, value], account);
}

async function findForAdt(
  db: Db,
  by: 'mrn' | 'identifier',
  key: [string, string],
  account: string | undefined,
): Promise<PatientWithVisit | undefined> {
  // Parameters in order of appearance: the account number of the join first.
  const withVisit = account !== undefined;
  const select = sql.raw(`p.*${withVisit ? `, ${visitSelection}` : ''}`);
  const join = withVisit ? sql` left join encounters v on v.facility_id = p.facility_id and v.account_number = ${''}` : sql``;
  const params = [...(withVisit ? [account] : []), ...key];
  const [row] =
    by === 'mrn'
      ? await runCached<Record<string, unknown>>(
          db,
          `adt-patient-by-mrn${withVisit ? '+visit' : ''}`,
          () => sql`select ${select} from patients p${join} where p.facility_id = ${''} and p.mrn = ${''}`.compile(db),
          params,
        )
      : await runCached<Record<string, unknown>>(
          db,
          `adt-patient-by-identifier${withVisit ? '+visit' : ''}`,
          () =>
            sql`select ${select} from patient_identifiers i join patients p on p.id = i.patient_id${join} where i.system = ${''} and i.value = ${''}`.compile(
              db,
            ),
          params,
        );
  if (!row) return undefined;
  return withVisit ? splitVisit(row) : { patient: row as unknown as PatientTable };
}

/** The list rows of one patient to write (each list given replaces the stored one; a list absent stays). */
export interface PatientListRows {
  insurance?: PatientInsuranceTable[] | undefined;
  identifiers?: PatientIdentifierTable[] | undefined;
  nextOfKin?: NextOfKinTable[] | undefined;
  aliases?: PatientNameTable[] | undefined;
}

type ListTable = 'patient_insurance' | 'patient_identifiers' | 'next_of_kin' | 'patient_names';

/** Inserts a new patient (the facility's MRN taken) with its lists. Identifier and next-of-kin SQL is compiled once (the ADT path). */
export async function insertNewPatient(db: Db, row: PatientTable, lists: PatientListRows): Promise<void> {
  await insertRows(db, 'patients', [row]);
  await writeLists(db, row.id, lists, false);
}

/** Replaces each list given of an opened record (a list absent stays as stored). */
export async function replacePatientLists(db: Db, scope: RecordScope, lists: PatientListRows): Promise<void> {
  await writeLists(db, scope.patientId, lists, true);
}

async function writeLists(db: Db, patientId: string, lists: PatientListRows, replace: boolean): Promise<void> {
  const all = [...(lists.insurance ?? []), ...(lists.identifiers ?? []), ...(lists.nextOfKin ?? []), ...(lists.aliases ?? [])];
  if (all.some((r) => r.patient_id !== patientId)) throw new Error('a list row belongs to another record');
  const clear = async (table: ListTable) => {
    if (replace) await db.deleteFrom(table).where('patient_id', '=', patientId).execute();
  };
  if (lists.insurance) {
    await clear('patient_insurance');
    if (lists.insurance.length) await db.insertInto('patient_insurance').values(lists.insurance).execute();
  }
  if (lists.identifiers) {
    await clear('patient_identifiers');
    await insertRows(db, 'patient_identifiers', lists.identifiers);
  }
  if (lists.nextOfKin) {
    await clear('next_of_kin');
    await insertRows(db, 'next_of_kin', lists.nextOfKin);
  }
  if (lists.aliases) {
    await clear('patient_names');
    if (lists.aliases.length) await db.insertInto('patient_names').values(lists.aliases).execute();
  }
}

/** Changes columns of an opened record's patient row. */
export async function updatePatientRow(db: Db, scope: RecordScope, set: Partial<Omit<PatientTable, 'id'>>): Promise<void> {
  await db.updateTable('patients').set(set).where('id', '=', scope.patientId).execute();
}

/** Whether an opened record already has this other name. */
export async function hasOtherName(db: Db, scope: RecordScope, familyName: string, givenName: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('patient_names')
      .select('id')
      .where('patient_id', '=', scope.patientId)
      .where('family_name', '=', familyName)
      .where('given_name', '=', givenName)
      .executeTakeFirst()) !== undefined
  );
}

/** The other names of an opened record (family and given only). */
export async function listOtherNameKeys(db: Db, scope: RecordScope): Promise<{ family_name: string; given_name: string }[]> {
  return db.selectFrom('patient_names').select(['family_name', 'given_name']).where('patient_id', '=', scope.patientId).execute();
}

/** Adds other names to an opened record. */
export async function insertOtherNames(db: Db, scope: RecordScope, rows: PatientNameTable[]): Promise<void> {
  if (rows.some((r) => r.patient_id !== scope.patientId)) throw new Error('a name belongs to another record than the scope');
  if (rows.length) await db.insertInto('patient_names').values(rows).execute();
}

/** The identifiers of an opened record (system and value only). */
export async function listIdentifierKeys(db: Db, scope: RecordScope): Promise<{ system: string; value: string }[]> {
  return db.selectFrom('patient_identifiers').select(['system', 'value']).where('patient_id', '=', scope.patientId).execute();
}

/** Adds identifiers to an opened record. */
export async function insertIdentifiers(db: Db, scope: RecordScope, rows: PatientIdentifierTable[]): Promise<void> {
  if (rows.some((r) => r.patient_id !== scope.patientId)) throw new Error('an identifier belongs to another record than the scope');
  if (rows.length) await db.insertInto('patient_identifiers').values(rows).execute();
}

/** Replaces an identifier of an opened record in place; false when the record does not carry `from`. */
export async function replaceIdentifier(
  db: Db,
  scope: RecordScope,
  from: { system: string; value: string },
  to: { system: string; value: string; type: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('patient_identifiers')
    .set({ value: to.value, system: to.system, type: to.type })
    .where('patient_id', '=', scope.patientId)
    .where('system', '=', from.system)
    .where('value', '=', from.value)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Tables of one patient's rows that move with the record in an MPI merge, keyed (patient_id, id). */
export const MERGE_MOVED_TABLES = ['patient_names', 'patient_identifiers', 'patient_insurance', 'next_of_kin', 'encounters'] as const;
export type MergeMovedTable = (typeof MERGE_MOVED_TABLES)[number];

/** The row ids of a record in one of its tables. */
export async function listRowIds(db: Db, table: MergeMovedTable, scope: RecordScope): Promise<string[]> {
  return (await db.selectFrom(table).select('id').where('patient_id', '=', scope.patientId).execute()).map((r) => r.id);
}

/** Which of these row ids a record already uses in one of its tables. */
export async function rowIdsTaken(db: Db, table: MergeMovedTable, scope: RecordScope, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set(
    (
      await db
        .selectFrom(table)
        .select('id')
        .where('patient_id', '=', scope.patientId)
        .where('id', 'in', [...ids])
        .execute()
    ).map((r) => r.id),
  );
}

/** Re-keys one row of `from` as row `newId` of `to`; false when `from` has no such row (any more). */
export async function rekeyRow(
  db: Db,
  table: MergeMovedTable,
  from: RecordScope,
  id: string,
  to: RecordScope,
  newId: string,
): Promise<boolean> {
  const r = await db
    .updateTable(table)
    .set({ patient_id: to.patientId, id: newId })
    .where('patient_id', '=', from.patientId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Moves every row of `from` in one table to `to`, ids kept (one statement). */
export async function moveAllRows(db: Db, table: MergeMovedTable, from: RecordScope, to: RecordScope): Promise<void> {
  await db.updateTable(table).set({ patient_id: to.patientId }).where('patient_id', '=', from.patientId).execute();
}

/** Deletes one row of a record. */
export async function deleteRow(db: Db, table: MergeMovedTable, scope: RecordScope, id: string): Promise<void> {
  await db.deleteFrom(table).where('patient_id', '=', scope.patientId).where('id', '=', id).execute();
}

/** What an MPI merge or unmerge changes on a record's own row: merged_into, the restriction a survivor takes on, updated_at. */
export async function setMergeState(
  db: Db,
  scope: RecordScope,
  set: Partial<Pick<PatientTable, 'merged_into' | 'restricted' | 'restriction_reason' | 'updated_at'>>,
): Promise<void> {
  await updatePatientRow(db, scope, set);
}
