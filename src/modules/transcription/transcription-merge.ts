/**
 * The transcription module's part in an MPI merge: a patient's dictations go to the survivor, journaled by id, and the
 * saved versions of their text follow their dictation (keyed by it); a dictation's encounter id follows an encounter
 * re-keyed by the merge. Unmerge puts them back.
 */
import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import { TRANSCRIPTION_PATIENT_TABLES } from './transcription.repository.js';

type JournalEntry = { table_name: string; action: string; old_id: string | null; new_id: string };
type Step = { from: RecordScope; to: RecordScope; encounters: readonly { from: string; to: string }[] };

async function move(trx: Db, from: RecordScope, to: RecordScope, ids: readonly string[]): Promise<[number, number]> {
  if (ids.length === 0) return [0, 0];
  const d = await trx
    .updateTable('dictations')
    .set({ patient_id: to.patientId })
    .where('patient_id', '=', from.patientId)
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  const v = await trx
    .updateTable('dictation_versions')
    .set({ patient_id: to.patientId })
    .where('patient_id', '=', from.patientId)
    .where('dictation_id', 'in', [...ids])
    .executeTakeFirst();
  return [Number(d.numUpdatedRows), Number(v.numUpdatedRows)];
}

async function rekeyEncounters(trx: Db, patientId: string, moves: readonly { from: string; to: string }[]): Promise<void> {
  for (const m of moves)
    if (m.from !== m.to)
      await trx
        .updateTable('dictations')
        .set({ encounter_id: m.to })
        .where('patient_id', '=', patientId)
        .where('encounter_id', '=', m.from)
        .execute();
}

export const transcriptionMergeParticipant = {
  tables: TRANSCRIPTION_PATIENT_TABLES as readonly string[],

  async merge(trx: Db, step: Step, journal: JournalEntry[]): Promise<Record<string, number>> {
    const ids = (await trx.selectFrom('dictations').select('id').where('patient_id', '=', step.from.patientId).execute()).map((r) => r.id);
    const [dictations, versions] = await move(trx, step.from, step.to, ids);
    await rekeyEncounters(trx, step.to.patientId, step.encounters);
    for (const id of ids) journal.push({ table_name: 'dictations', action: 'moved', old_id: id, new_id: id });
    return { dictations, dictation_versions: versions };
  },

  async unmerge(trx: Db, step: Step, entries: readonly JournalEntry[]): Promise<{ restored: JournalEntry[]; missing: number }> {
    const mine = entries.filter((e) => e.table_name === 'dictations' && e.action === 'moved');
    await rekeyEncounters(trx, step.from.patientId, step.encounters);
    const [n] = await move(
      trx,
      step.from,
      step.to,
      mine.map((e) => e.new_id),
    );
    return { restored: mine, missing: mine.length - n };
  },
};
