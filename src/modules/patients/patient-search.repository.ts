import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.js';
import type { EncounterTable, PatientTable } from '../../db/schema.js';
import type { ListScope } from '../access/index.js';
import type { PatientQuery } from './patients.rules.js';

/** SQL of the searches across patients (patients, their other names and identifiers; encounters with their patient). */

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
