/**
 * The dashboard's reads, across patients (each takes the ListScope the record-access step gave) and the DRG weight
 * table. Plain selects and one GROUP BY that both engines run alike; the facts are joined in memory by encounter id.
 */
import type { Db } from '../../db/database.js';
import type { ListScope } from '../access/index.js';
import type { DrgWeightRow } from './drg-weights.rules.js';
import type { FinalCoding, QueryFact, RoiFact, WeightTable } from './dashboard.rules.js';

export interface EncounterRow {
  encounter_id: string;
  patient_id: string;
  mrn: string;
  family_name: string;
  given_name: string;
  account_number: string;
  restricted: number;
  facility_id: string;
  type: string;
  payer_name: string | null;
  attending_provider_id: string | null;
  attending_family: string | null;
  attending_given: string | null;
  specialty: string | null;
  admit_at: string;
  discharge_at: string;
  coding_status: string | null;
  final_drg: string | null;
  coded_by: string | null;
  coded_at: string | null;
}

/** Discharged, not cancelled encounters of patients not merged away (at one facility when given). */
export async function listDischargedEncounters(db: Db, _list: ListScope, facility?: string): Promise<EncounterRow[]> {
  let q = db
    .selectFrom('encounters as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .leftJoin('coding_abstracts as a', 'a.encounter_id', 'e.id')
    .leftJoin('providers as pr', 'pr.id', 'e.attending_provider_id')
    .select([
      'e.id as encounter_id',
      'e.patient_id',
      'p.mrn',
      'p.family_name',
      'p.given_name',
      'e.account_number',
      'p.restricted',
      'e.facility_id',
      'e.type',
      'e.payer_name',
      'e.attending_provider_id',
      'pr.family_name as attending_family',
      'pr.given_name as attending_given',
      'pr.specialty',
      'e.admit_at',
      'e.discharge_at',
      'a.status as coding_status',
      'a.final_drg',
      'a.coded_by',
      'a.coded_at',
    ])
    .where('e.discharge_at', 'is not', null)
    .where('e.status', '!=', 'cancelled')
    .where('p.merged_into', 'is', null);
  if (facility !== undefined) q = q.where('e.facility_id', '=', facility);
  return (await q.execute()) as EncounterRow[];
}

/** Total charges per encounter, in cents. */
export async function chargesByEncounter(db: Db, _list: ListScope): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('encounter_charges')
    .select(['encounter_id', (eb) => eb.fn.sum<string | number>('amount_cents').as('total')])
    .groupBy('encounter_id')
    .execute();
  return new Map(rows.map((r) => [r.encounter_id, Number(r.total)]));
}

export interface ClaimRow {
  encounter_id: string;
  status: string;
  findings: string;
  released_at: string | null;
  created_at: string;
}

export async function listClaims(db: Db, _list: ListScope): Promise<ClaimRow[]> {
  return db
    .selectFrom('claims')
    .select(['encounter_id', 'status', 'findings', 'released_at', 'created_at'])
    .orderBy('created_at')
    .execute();
}

/** Encounters with a physician query open or escalated. */
export async function encountersWithOpenQueries(db: Db, _list: ListScope): Promise<Set<string>> {
  const rows = await db
    .selectFrom('physician_queries')
    .select('encounter_id')
    .where('status', 'in', ['open', 'escalated'])
    .distinct()
    .execute();
  return new Set(rows.map((r) => r.encounter_id));
}

/** Final versions saved in the range (ISO bounds, inclusive), with the coder and the encounter's type. */
export async function listFinalCodings(db: Db, _list: ListScope, b: { from: string; to: string }): Promise<FinalCoding[]> {
  const rows = await db
    .selectFrom('coding_abstract_versions as v')
    .innerJoin('encounters as e', 'e.id', 'v.encounter_id')
    .leftJoin('users as u', 'u.id', 'v.saved_by')
    .select(['v.encounter_id', 'v.saved_by', 'u.display_name', 'e.type', 'v.saved_at'])
    .where('v.kind', '=', 'final')
    .where('v.saved_at', '>=', b.from)
    .where('v.saved_at', '<=', b.to)
    .execute();
  return rows.map((r) => ({
    encounterId: r.encounter_id,
    coderId: r.saved_by,
    coder: r.display_name ?? r.saved_by,
    type: r.type,
    savedAt: r.saved_at,
  }));
}

/** Physician queries sent in the range. */
export async function listQueriesSent(db: Db, _list: ListScope, b: { from: string; to: string }): Promise<QueryFact[]> {
  const rows = await db
    .selectFrom('physician_queries')
    .select(['encounter_id', 'status', 'sent_at', 'answered_at', 'agreed'])
    .where('sent_at', '>=', b.from)
    .where('sent_at', '<=', b.to)
    .execute();
  return rows.map((r) => ({
    encounterId: r.encounter_id,
    status: r.status,
    sentAt: r.sent_at,
    answeredAt: r.answered_at,
    agreed: r.agreed,
  }));
}

/** Access requests received in the range (days, inclusive); the due date is the extended one when extended. */
export async function listRoiRequests(db: Db, _list: ListScope, b: { from: string; to: string }): Promise<RoiFact[]> {
  const rows = await db
    .selectFrom('roi_requests')
    .select(['received_on', 'due_on', 'extended_due_on', 'closed_on'])
    .where('received_on', '>=', b.from)
    .where('received_on', '<=', b.to)
    .execute();
  return rows.map((r) => ({ receivedOn: r.received_on, dueOn: r.extended_due_on ?? r.due_on, closedOn: r.closed_on }));
}

/** Active (not merged) patients, and the distinct patients named in open potential-duplicate pairs. */
export async function mpiCounts(db: Db, _list: ListScope): Promise<{ active: number; inOpenPairs: number; openPairs: number }> {
  const active = await db
    .selectFrom('patients')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('merged_into', 'is', null)
    .executeTakeFirstOrThrow();
  const pairs = await db.selectFrom('mpi_duplicate_pairs').select(['patient_id_1', 'patient_id_2']).where('status', '=', 'open').execute();
  return {
    active: Number(active.n),
    inOpenPairs: new Set(pairs.flatMap((p) => [p.patient_id_1, p.patient_id_2])).size,
    openPairs: pairs.length,
  };
}

/** The imported CMS weights, by fiscal year and MS-DRG. */
export async function loadWeightTable(db: Db): Promise<WeightTable> {
  const rows = await db.selectFrom('drg_weights').select(['fiscal_year', 'drg', 'weight']).execute();
  const out = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const y = out.get(r.fiscal_year) ?? new Map<string, number>();
    y.set(r.drg, r.weight);
    out.set(r.fiscal_year, y);
  }
  return out;
}

/** Replaces one fiscal year's weights (an import is the whole table of that year). */
export async function replaceWeights(
  db: Db,
  fiscalYear: number,
  rows: readonly DrgWeightRow[],
  sourceFile: string,
  at: string,
): Promise<void> {
  await db.deleteFrom('drg_weights').where('fiscal_year', '=', fiscalYear).execute();
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('drg_weights')
      .values(
        rows.slice(i, i + 200).map((r) => ({
          fiscal_year: fiscalYear,
          drg: r.drg,
          mdc: r.mdc,
          drg_type: r.type,
          title: r.title,
          weight: r.weight,
          geometric_mean_los: r.geometricMeanLos,
          arithmetic_mean_los: r.arithmeticMeanLos,
          source_file: sourceFile,
          imported_at: at,
        })),
      )
      .execute();
  }
}

/** The imported fiscal years and their row counts. */
export async function weightYears(db: Db): Promise<{ fiscalYear: number; drgs: number }[]> {
  const rows = await db
    .selectFrom('drg_weights')
    .select(['fiscal_year', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy('fiscal_year')
    .orderBy('fiscal_year')
    .execute();
  return rows.map((r) => ({ fiscalYear: r.fiscal_year, drgs: Number(r.n) }));
}

/** Names of physicians (providers) by id, for the filter choices. */
export async function listAttendings(db: Db): Promise<{ id: string; name: string; specialty: string | null }[]> {
  const rows = await db.selectFrom('providers').select(['id', 'family_name', 'given_name', 'specialty']).orderBy('family_name').execute();
  return rows.map((r) => ({ id: r.id, name: `${r.given_name} ${r.family_name}`, specialty: r.specialty }));
}

export interface CodedDischargeRow {
  encounter_id: string;
  patient_id: string;
  mrn: string;
  family_name: string;
  given_name: string;
  account_number: string;
  restricted: number;
  discharge_at: string;
  attending_provider_id: string | null;
  attending_family: string | null;
  attending_given: string | null;
  final_drg: string | null;
  data: string;
}

/** Final-coded discharges in the range (ISO bounds), with the abstract (codes) as stored, for the HIM indexes. */
export async function listFinalCodedDischarges(
  db: Db,
  _list: ListScope,
  b: { from: string; to: string },
  facility?: string,
): Promise<CodedDischargeRow[]> {
  let q = db
    .selectFrom('encounters as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .innerJoin('coding_abstracts as a', 'a.encounter_id', 'e.id')
    .leftJoin('providers as pr', 'pr.id', 'e.attending_provider_id')
    .select([
      'e.id as encounter_id',
      'e.patient_id',
      'p.mrn',
      'p.family_name',
      'p.given_name',
      'e.account_number',
      'p.restricted',
      'e.discharge_at',
      'e.attending_provider_id',
      'pr.family_name as attending_family',
      'pr.given_name as attending_given',
      'a.final_drg',
      'a.data',
    ])
    .where('a.status', '=', 'final')
    .where('e.status', '!=', 'cancelled')
    .where('p.merged_into', 'is', null)
    .where('e.discharge_at', '>=', b.from)
    .where('e.discharge_at', '<=', b.to);
  if (facility !== undefined) q = q.where('e.facility_id', '=', facility);
  return (await q.execute()) as CodedDischargeRow[];
}
