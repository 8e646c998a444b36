import { sql } from 'kysely';
import { runCached, type Db } from '../../db/database.js';
import type { EncounterTable, PatientTable } from '../../db/schema.js';

/** SQL of the ADT interface's look-ups: a patient and the visit of an account number in one statement, compiled once. */

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
