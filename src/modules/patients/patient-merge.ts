import type { Db } from '../../db/database.js';
import { newId } from '../../core/shared/ids.js';
import { notFound } from '../../core/errors.js';
import type { RecordScope } from '../access/index.js';
import * as mergeRepo from './patient-merge.repository.js';
import * as writeRepo from './patient-write.repository.js';
import * as repo from './patients.repository.js';
import { MERGE_MOVED_TABLES, type MergeMovedTable } from './patient-merge.repository.js';

/** One row a merge moved (old id -> new id under the survivor) or created (old id null), as the MPI journals it. */
export interface MergeJournalRow {
  table_name: string;
  action: string;
  old_id: string | null;
  new_id: string;
}

const isMoved = (table: string): table is MergeMovedTable => (MERGE_MOVED_TABLES as readonly string[]).includes(table);

/**
 * The patients module's part in an MPI merge (src/modules/mpi runs it first; rows that belong to an encounter follow
 * it with their own module's participant). Every row of the merged record in MERGE_MOVED_TABLES (names, identifiers,
 * insurance, next of kin, encounters) moves to the survivor: keys are (patient_id, id), and a row id already used under
 * the survivor gets a new id. The survivor also keeps the merged record's MRN as an MR identifier and, when it differs,
 * its name as a `merged` alias (AHIMA: retain the retired MRN). Each moved or created row is journaled, so that the
 * unmerge puts every row back under its original key.
 */
export const patientsMergeParticipant = {
  tables: MERGE_MOVED_TABLES,

  /** Moves the rows of `from` (the merged record) to `to` (the survivor); answers the rows moved per table. */
  async merge(trx: Db, step: { from: RecordScope; to: RecordScope }, journal: MergeJournalRow[]): Promise<Record<string, number>> {
    const moved: Record<string, number> = {};
    for (const table of MERGE_MOVED_TABLES) moved[table] = await moveRows(trx, table, step.from, step.to, journal);
    const [merged, survivor] = [await repo.readPatient(trx, step.from), await repo.readPatient(trx, step.to)];
    if (!merged || !survivor) throw notFound('patient');
    // The other record's MRN stays findable on the survivor (AHIMA: retain the retired MRN as an alias).
    const aliasId = newId();
    await writeRepo.insertIdentifiers(trx, step.to, [
      { patient_id: survivor.id, id: aliasId, system: merged.facility_id, value: merged.mrn, type: 'MR' },
    ]);
    journal.push({ table_name: 'patient_identifiers', action: 'created', old_id: null, new_id: aliasId });
    if (merged.family_name !== survivor.family_name || merged.given_name !== survivor.given_name) {
      const nameId = newId();
      await writeRepo.insertOtherNames(trx, step.to, [
        {
          patient_id: survivor.id,
          id: nameId,
          use: 'merged',
          family_name: merged.family_name,
          given_name: merged.given_name,
          middle_name: merged.middle_name,
        },
      ]);
      journal.push({ table_name: 'patient_names', action: 'created', old_id: null, new_id: nameId });
    }
    return moved;
  },

  /**
   * Puts back the rows of `from` (the survivor) that the merge moved from `to` (the merged record), from the journal
   * entries of these tables, newest first; removes the rows it created. A row deleted on the survivor since cannot
   * return: it is counted missing. Answers the moved rows restored.
   */
  async unmerge(
    trx: Db,
    step: { from: RecordScope; to: RecordScope },
    entries: readonly MergeJournalRow[],
  ): Promise<{ restored: MergeJournalRow[]; missing: number }> {
    const restored: MergeJournalRow[] = [];
    let missing = 0;
    for (const r of entries) {
      const table = r.table_name;
      if (!isMoved(table)) throw new Error('merge journal names an unknown table');
      if (r.action === 'created') {
        await mergeRepo.deleteRow(trx, table, step.from, r.new_id);
        continue;
      }
      if (await mergeRepo.rekeyRow(trx, table, step.from, r.new_id, step.to, r.old_id!)) restored.push(r);
      else missing++;
    }
    return { restored, missing };
  },
};

/** Re-keys every row of `from` in `table` to `to`; a row id already used under `to` gets a new id (journaled). */
async function moveRows(trx: Db, table: MergeMovedTable, from: RecordScope, to: RecordScope, journal: MergeJournalRow[]): Promise<number> {
  const ids = await mergeRepo.listRowIds(trx, table, from);
  if (ids.length === 0) return 0;
  const taken = await mergeRepo.rowIdsTaken(trx, table, to, ids);
  for (const id of ids) {
    const newKey = taken.has(id) ? newId() : id;
    if (newKey !== id) await mergeRepo.rekeyRow(trx, table, from, id, to, newKey);
    journal.push({ table_name: table, action: 'moved', old_id: id, new_id: newKey });
  }
  // Rows whose id is free under the survivor move in one statement.
  await mergeRepo.moveAllRows(trx, table, from, to);
  return ids.length;
}
