/**
 * SQL of the FHIR API: read-only queries over the tables the resources map from (patients, encounters, final coding
 * abstracts, providers, facilities), each constrained by the scope the record-access step handed out, and the
 * API's own clients and tokens. Documents are read through the documents service, not here (only a document's
 * patient id is looked up, to bind a patient-scoped token before the document is opened).
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import type {
  CodingAbstractTable,
  Database,
  EncounterTable,
  FacilityTable,
  PatientIdentifierTable,
  PatientNameTable,
  PatientTable,
  ProviderTable,
} from '../../db/schema.js';
import type { FhirClientTable, FhirTokenTable } from '../../db/schema-fhir.js';
import type { ListScope, RecordScope } from '../access/index.js';
import { dateBounds, type DateSearch, type TokenSearch } from './fhir.rules.js';

/** A page of rows: offset and size, one more row read to tell whether there is a next page. */
export interface Page {
  offset: number;
  count: number;
}

// ------------------------------------------------------------------------------------------------ patients

export interface PatientFilter {
  ids?: string[];
  mrn?: string;
  identifier?: TokenSearch;
  name?: string;
  family?: string;
  given?: string;
  birthdate?: DateSearch;
  /** Our sex codes (a FHIR gender maps to one or more). */
  gender?: string[];
}

const likePrefix = (v: string) => `${v.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function patientQuery(db: Db, f: PatientFilter): SelectQueryBuilder<Database, 'patients', object> {
  let q = db.selectFrom('patients').where('merged_into', 'is', null);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.mrn !== undefined) q = q.where('mrn', '=', f.mrn);
  if (f.identifier?.code !== undefined) {
    const code = f.identifier.code;
    q = q.where((eb) =>
      eb.or([
        eb('mrn', '=', code),
        eb.exists(
          eb.selectFrom('patient_identifiers as i').select('i.id').whereRef('i.patient_id', '=', 'patients.id').where('i.value', '=', code),
        ),
      ]),
    );
  }
  // Names match from the start of the family or given name, any case (FHIR string search: "starts with").
  if (f.name !== undefined) {
    const v = likePrefix(f.name);
    q = q.where((eb) =>
      eb.or([sql<boolean>`lower(family_name) like ${v} escape '\\'`, sql<boolean>`lower(given_name) like ${v} escape '\\'`]),
    );
  }
  if (f.family !== undefined) q = q.where(sql<boolean>`lower(family_name) like ${likePrefix(f.family)} escape '\\'`);
  if (f.given !== undefined) q = q.where(sql<boolean>`lower(given_name) like ${likePrefix(f.given)} escape '\\'`);
  if (f.birthdate) for (const [op, v] of dateBounds(f.birthdate, true)) q = q.where('date_of_birth', op, v);
  if (f.gender) q = q.where('sex', 'in', f.gender.length ? f.gender : ['']);
  return q;
}

const patientSortColumns = { family: 'family_name', given: 'given_name' } as const;

/**
 * Unmerged patients matching the filter, in the `_sort` order (family or given name) else by family and given name,
 * then id; the list scope decides what each shows.
 */
export async function searchPatients(
  db: Db,
  _list: ListScope,
  f: PatientFilter,
  page: Page,
  sort: readonly { key: string; desc: boolean }[] = [],
): Promise<PatientTable[]> {
  let q = patientQuery(db, f).selectAll();
  const keys = sort.length
    ? sort
    : [
        { key: 'family', desc: false },
        { key: 'given', desc: false },
      ];
  for (const k of keys) {
    const column = patientSortColumns[k.key as keyof typeof patientSortColumns] as 'family_name' | 'given_name' | undefined;
    if (column) q = q.orderBy(column, k.desc ? 'desc' : 'asc');
  }
  return q
    .orderBy('id')
    .offset(page.offset)
    .limit(page.count + 1)
    .execute();
}

/** The ids and restriction flags of every unmerged patient matching the filter (for `_summary=count`). */
export async function countPatients(db: Db, _list: ListScope, f: PatientFilter): Promise<{ id: string; restricted: number }[]> {
  return patientQuery(db, f).select(['id', 'restricted']).execute();
}

/** An opened patient record with its other names and identifiers, and the records merged into it. */
export async function readPatient(
  db: Db,
  scope: RecordScope,
): Promise<{ patient: PatientTable; names: PatientNameTable[]; identifiers: PatientIdentifierTable[]; mergedFrom: string[] } | undefined> {
  const patient = await db.selectFrom('patients').selectAll().where('id', '=', scope.patientId).executeTakeFirst();
  if (!patient) return undefined;
  const [names, identifiers, merged] = await Promise.all([
    db.selectFrom('patient_names').selectAll().where('patient_id', '=', scope.patientId).orderBy('id').execute(),
    db.selectFrom('patient_identifiers').selectAll().where('patient_id', '=', scope.patientId).orderBy('id').execute(),
    db.selectFrom('patients').select('id').where('merged_into', '=', scope.patientId).orderBy('id').execute(),
  ]);
  return { patient, names, identifiers, mergedFrom: merged.map((m) => m.id) };
}

// ---------------------------------------------------------------------------------------------- encounters

export interface EncounterFilter {
  id?: string;
  accountNumber?: string;
  date?: DateSearch;
  statuses?: string[];
}

/** Encounters of an opened record, newest first. */
export async function listEncounters(db: Db, scope: RecordScope, f: EncounterFilter, page: Page): Promise<EncounterTable[]> {
  let q = db.selectFrom('encounters').selectAll().where('patient_id', '=', scope.patientId);
  if (f.id !== undefined) q = q.where('id', '=', f.id);
  if (f.accountNumber !== undefined) q = q.where('account_number', '=', f.accountNumber);
  if (f.date) for (const [op, v] of dateBounds(f.date)) q = q.where('admit_at', op, v);
  if (f.statuses) q = q.where('status', 'in', f.statuses.length ? f.statuses : ['']);
  return q
    .orderBy('admit_at', 'desc')
    .orderBy('id')
    .offset(page.offset)
    .limit(page.count + 1)
    .execute();
}

/** The patient an encounter belongs to (ids only: binds a patient-scoped token before the record is opened). */
export async function patientOfEncounter(db: Db, encounterId: string): Promise<string | undefined> {
  return (await db.selectFrom('encounters').select('patient_id').where('id', '=', encounterId).executeTakeFirst())?.patient_id;
}

/** The patient a document belongs to (ids only, for the same reason). */
export async function patientOfDocument(db: Db, documentId: string): Promise<string | undefined> {
  return (await db.selectFrom('documents').select('patient_id').where('id', '=', documentId).executeTakeFirst())?.patient_id;
}

// ---------------------------------------------------------------------------------- final coding abstracts

/** Final abstracts of an opened record (one encounter's when the scope or `encounterId` names it), with the encounter's dates. */
export async function listFinalAbstracts(
  db: Db,
  scope: RecordScope,
  encounterId?: string,
): Promise<(CodingAbstractTable & { admit_at: string; discharge_at: string | null })[]> {
  let q = db
    .selectFrom('coding_abstracts as a')
    .innerJoin('encounters as e', (j) => j.onRef('e.patient_id', '=', 'a.patient_id').onRef('e.id', '=', 'a.encounter_id'))
    .selectAll('a')
    .select(['e.admit_at', 'e.discharge_at'])
    .where('a.patient_id', '=', scope.patientId)
    .where('a.status', '=', 'final');
  const only = encounterId ?? scope.encounterId;
  if (only) q = q.where('a.encounter_id', '=', only);
  return q.orderBy('e.admit_at', 'desc').orderBy('a.encounter_id').execute();
}

// ------------------------------------------------------------------------------ practitioners, organizations

export interface DirectoryFilter {
  id?: string;
  identifier?: string;
  name?: string;
  family?: string;
  given?: string;
}

export async function searchProviders(db: Db, f: DirectoryFilter, page: Page): Promise<ProviderTable[]> {
  let q = db.selectFrom('providers').selectAll();
  if (f.id !== undefined) q = q.where('id', '=', f.id);
  if (f.identifier !== undefined) q = q.where('npi', '=', f.identifier);
  if (f.name !== undefined) {
    const v = likePrefix(f.name);
    q = q.where((eb) =>
      eb.or([sql<boolean>`lower(family_name) like ${v} escape '\\'`, sql<boolean>`lower(given_name) like ${v} escape '\\'`]),
    );
  }
  if (f.family !== undefined) q = q.where(sql<boolean>`lower(family_name) like ${likePrefix(f.family)} escape '\\'`);
  if (f.given !== undefined) q = q.where(sql<boolean>`lower(given_name) like ${likePrefix(f.given)} escape '\\'`);
  return q
    .orderBy('family_name')
    .orderBy('given_name')
    .orderBy('id')
    .offset(page.offset)
    .limit(page.count + 1)
    .execute();
}

export async function searchFacilities(db: Db, f: DirectoryFilter, page: Page): Promise<FacilityTable[]> {
  let q = db.selectFrom('facilities').selectAll();
  if (f.id !== undefined) q = q.where('id', '=', f.id);
  if (f.name !== undefined) q = q.where(sql<boolean>`lower(name) like ${likePrefix(f.name)} escape '\\'`);
  return q
    .orderBy('name')
    .orderBy('id')
    .offset(page.offset)
    .limit(page.count + 1)
    .execute();
}

// --------------------------------------------------------------------------------------- clients, tokens

export async function insertClient(db: Db, row: FhirClientTable): Promise<void> {
  await db.insertInto('fhir_clients').values(row).execute();
}

export async function findClient(db: Db, id: string): Promise<FhirClientTable | undefined> {
  return db.selectFrom('fhir_clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listClients(db: Db): Promise<FhirClientTable[]> {
  return db.selectFrom('fhir_clients').selectAll().orderBy('created_at').execute();
}

export async function insertToken(db: Db, row: FhirTokenTable): Promise<void> {
  await db.insertInto('fhir_tokens').values(row).execute();
}

export async function findToken(db: Db, tokenHash: string): Promise<FhirTokenTable | undefined> {
  return db.selectFrom('fhir_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Removes tokens and assertion ids that ended before `now`. */
export async function sweepExpired(db: Db, now: string): Promise<void> {
  await db.deleteFrom('fhir_tokens').where('expires_at', '<', now).execute();
  await db.deleteFrom('fhir_assertion_jtis').where('expires_at', '<', now).execute();
}

/** Records a client assertion's jti; false when it was used already (a replay, RFC 7523 section 3). */
export async function useAssertionJti(db: Db, clientId: string, jti: string, expiresAt: string): Promise<boolean> {
  const seen = await db
    .selectFrom('fhir_assertion_jtis')
    .select('jti')
    .where('client_id', '=', clientId)
    .where('jti', '=', jti)
    .executeTakeFirst();
  if (seen) return false;
  await db.insertInto('fhir_assertion_jtis').values({ client_id: clientId, jti, expires_at: expiresAt }).execute();
  return true;
}
