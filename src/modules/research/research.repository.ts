/** SQL of the research module: the cohort candidates (final-coded encounters) and the extract log. */
import type { Db } from '../../db/database.js';
import type { ResearchExtractTable } from '../../db/schema-research.js';
import type { ListScope } from '../access/index.js';

export interface CandidateRow {
  encounter_id: string;
  patient_id: string;
  restricted: number;
  type: string;
  admit_at: string;
  discharge_at: string | null;
  date_of_birth: string | null;
  sex: string;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  final_drg: string | null;
  data: string;
}

/**
 * Final-coded encounters of unmerged patients, narrowed in SQL by what is cheap to index (discharge dates, DRGs,
 * encounter types); codes, sex and age are matched by `matchesCohort`. Takes the list scope: the caller has passed
 * the record-access step.
 */
export async function listCandidates(
  db: Db,
  _list: ListScope,
  f: { dischargedFrom?: string; dischargedBefore?: string; drgs: readonly string[]; encounterTypes: readonly string[] },
): Promise<CandidateRow[]> {
  let q = db
    .selectFrom('encounters as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .innerJoin('coding_abstracts as a', 'a.encounter_id', 'e.id')
    .where('a.status', '=', 'final')
    .where('p.merged_into', 'is', null)
    .select([
      'e.id as encounter_id',
      'e.patient_id',
      'p.restricted',
      'e.type',
      'e.admit_at',
      'e.discharge_at',
      'p.date_of_birth',
      'p.sex',
      'p.city',
      'p.state',
      'p.postal_code',
      'a.final_drg',
      'a.data',
    ]);
  if (f.dischargedFrom) q = q.where('e.discharge_at', '>=', f.dischargedFrom);
  if (f.dischargedBefore) q = q.where('e.discharge_at', '<', f.dischargedBefore);
  if (f.drgs.length > 0) q = q.where('a.final_drg', 'in', [...f.drgs]);
  if (f.encounterTypes.length > 0) q = q.where('e.type', 'in', [...f.encounterTypes]);
  return q.orderBy('e.discharge_at').orderBy('e.id').execute();
}

export async function insertExtract(db: Db, row: ResearchExtractTable): Promise<void> {
  await db.insertInto('research_extracts').values(row).execute();
}

export async function listExtracts(db: Db, limit: number): Promise<ResearchExtractTable[]> {
  return db.selectFrom('research_extracts').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}
