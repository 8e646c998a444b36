/**
 * SQL of the stored outpatient abstract, over the tables this module owns (outpatient_abstracts,
 * outpatient_abstract_versions, migration 0031); every function takes the database or a transaction first and the
 * record scope the record-access step returned, so a path that skips the step does not compile.
 */
import type { Db } from '../../db/database.js';
import type { OutpatientAbstractTable, OutpatientAbstractVersionTable } from '../../db/schema-outpatient.js';
import type { RecordScope } from '../access/index.js';

function encounterOf(scope: RecordScope): string {
  if (!scope.encounterId) throw new Error('outpatient coding opens records by encounter');
  return scope.encounterId;
}

export async function findOutpatientAbstract(db: Db, scope: RecordScope): Promise<OutpatientAbstractTable | undefined> {
  return db
    .selectFrom('outpatient_abstracts')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterOf(scope))
    .executeTakeFirst();
}

export async function insertOutpatientAbstract(db: Db, scope: RecordScope, row: OutpatientAbstractTable): Promise<void> {
  if (row.patient_id !== scope.patientId || row.encounter_id !== encounterOf(scope))
    throw new Error('the abstract belongs to another record than the scope');
  await db.insertInto('outpatient_abstracts').values(row).execute();
}

export async function updateOutpatientAbstract(db: Db, scope: RecordScope, set: Partial<OutpatientAbstractTable>): Promise<void> {
  await db
    .updateTable('outpatient_abstracts')
    .set(set)
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterOf(scope))
    .execute();
}

export async function insertOutpatientVersion(
  db: Db,
  scope: RecordScope,
  row: Omit<OutpatientAbstractVersionTable, 'patient_id' | 'encounter_id'>,
): Promise<void> {
  await db
    .insertInto('outpatient_abstract_versions')
    .values({ ...row, patient_id: scope.patientId, encounter_id: encounterOf(scope) })
    .execute();
}

export async function listOutpatientVersions(db: Db, scope: RecordScope): Promise<OutpatientAbstractVersionTable[]> {
  return db
    .selectFrom('outpatient_abstract_versions')
    .selectAll()
    .where('patient_id', '=', scope.patientId)
    .where('encounter_id', '=', encounterOf(scope))
    .orderBy('version', 'desc')
    .execute();
}

/** This module's tables of one patient's rows: each row belongs to an encounter and follows it in an MPI merge. */
export const OUTPATIENT_PATIENT_TABLES = ['outpatient_abstracts', 'outpatient_abstract_versions'] as const;

/** Moves the rows of encounters that moved from record `from` to record `to` (each encounter's id before and after). */
export async function moveOutpatientRows(
  db: Db,
  from: RecordScope,
  to: RecordScope,
  encounters: readonly { from: string; to: string }[],
): Promise<void> {
  for (const e of encounters)
    for (const table of OUTPATIENT_PATIENT_TABLES)
      await db
        .updateTable(table)
        .set({ patient_id: to.patientId, encounter_id: e.to })
        .where('patient_id', '=', from.patientId)
        .where('encounter_id', '=', e.from)
        .execute();
}
