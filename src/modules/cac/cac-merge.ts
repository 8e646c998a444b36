/**
 * The CAC module's part in an MPI merge: a patient's coding decisions follow their encounter to the survivor, re-keyed
 * to the encounter's id there. Each row is journaled by id; the unmerge puts back every journaled row.
 */
import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import { CAC_PATIENT_TABLES, encounterOfRow, listRowIds, moveRow } from './cac.repository.js';

type Step = { from: RecordScope; to: RecordScope; encounters: readonly { from: string; to: string }[] };
type JournalEntry = { table_name: string; action: string; old_id: string | null; new_id: string };
const TABLE = CAC_PATIENT_TABLES[0];

async function moveOne(trx: Db, step: Step, id: string): Promise<number> {
  const enc = await encounterOfRow(trx, id);
  if (enc === undefined) return 0;
  return moveRow(trx, step.from, step.to, id, step.encounters.find((e) => e.from === enc)?.to ?? enc);
}

export const cacMergeParticipant = {
  tables: CAC_PATIENT_TABLES as readonly string[],

  async merge(trx: Db, step: Step, journal: JournalEntry[]): Promise<Record<string, number>> {
    let n = 0;
    for (const id of await listRowIds(trx, step.from)) {
      n += await moveOne(trx, step, id);
      journal.push({ table_name: TABLE, action: 'moved', old_id: id, new_id: id });
    }
    return { [TABLE]: n };
  },

  async unmerge(trx: Db, step: Step, entries: readonly JournalEntry[]): Promise<{ restored: JournalEntry[]; missing: number }> {
    const restored: JournalEntry[] = [];
    let missing = 0;
    for (const e of entries) {
      if (e.table_name !== TABLE || e.action !== 'moved') continue;
      if ((await moveOne(trx, step, e.new_id)) > 0) restored.push(e);
      else missing++;
    }
    return { restored, missing };
  },
};
