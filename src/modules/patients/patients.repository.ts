import { sql, type SqlBool } from 'kysely';
import { runCached, type Db } from '../../db/database.js';
import type { EncounterTable, PatientTable } from '../../db/schema.js';
import type { PatientQuery } from './patients.rules.js';

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
export async function searchPatients(db: Db, q: PatientQuery, limit: number): Promise<PatientTable[]> {
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

export async function listEncountersOfPatient(db: Db, patientId: string): Promise<(EncounterTable & { attending_name: string | null })[]> {
  return db
    .selectFrom('encounters as e')
    .leftJoin('providers as p', 'p.id', 'e.attending_provider_id')
    .selectAll('e')
    .select(sql<string | null>`case when p.id is null then null else p.family_name || ', ' || p.given_name end`.as('attending_name'))
    .where('e.patient_id', '=', patientId)
    .orderBy('e.admit_at', 'desc')
    .execute();
}

export async function hasActiveBreakGlass(db: Db, userId: string, patientId: string, nowIso: string): Promise<boolean> {
  const row = await db
    .selectFrom('break_glass')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes the next MRN sequence number of a facility (the update locks the facility row on PostgreSQL); undefined
 * when there is no such facility.
 */
export async function takeNextMrnSequence(db: Db, facilityId: string): Promise<number | undefined> {
  const [row] = await runCached<{ next_mrn: number }>(db, 'take-next-mrn', () => sql`update facilities set next_mrn = next_mrn + 1 where id = ${''} returning next_mrn`.compile(db), [facilityId]);
  return row ? Number(row.next_mrn) - 1 : undefined;
}
