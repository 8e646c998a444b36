import type { Db } from '../../db/database.js';
import type { PatientTable } from '../../db/schema.js';
import type { RecordScope } from '../access/index.js';
import { updatePatientRow } from './patient-write.repository.js';

/** SQL of MPI merges: moving, re-keying and deleting one record's rows, and the merge state of its patient row. */

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
