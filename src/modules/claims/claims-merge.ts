/**
 * The claims module's part in an MPI merge: a patient's coverages go to the survivor; charges and claims follow
 * their encounter there, re-keyed to the encounter's id on the survivor. Each row is journaled by id; the unmerge
 * puts back every journaled row (with its encounter's id on the record it returns to).
 */
import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import { CLAIMS_PATIENT_TABLES, encounterOfRow, listRowIds, moveRow } from './claims.repository.js';

type Step = { from: RecordScope; to: RecordScope; encounters: readonly { from: string; to: string }[] };
type JournalEntry = { table_name: string; action: string; old_id: string | null; new_id: string };

async function moveOne(trx: Db, table: (typeof CLAIMS_PATIENT_TABLES)[number], step: Step, id: string): Promise<number> {
  if (table === 'patient_coverages') return moveRow(trx, table, step.from, step.to, id);
  const enc = await encounterOfRow(trx, table, id);
  if (enc === undefined) return 0;
  return moveRow(trx, table, step.from, step.to, id, step.encounters.find((e) => e.from === enc)?.to ?? enc);
}

export const claimsMergeParticipant = {
  tables: CLAIMS_PATIENT_TABLES as readonly string[],

  async merge(trx: Db, step: Step, journal: JournalEntry[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of CLAIMS_PATIENT_TABLES) {
      counts[table] = 0;
      for (const id of await listRowIds(trx, table, step.from)) {
        counts[table] += await moveOne(trx, table, step, id);
        journal.push({ table_name: table, action: 'moved', old_id: id, new_id: id });
      }
    }
    return counts;
  },

  async unmerge(trx: Db, step: Step, entries: readonly JournalEntry[]): Promise<{ restored: JournalEntry[]; missing: number }> {
    const restored: JournalEntry[] = [];
    let missing = 0;
    for (const e of entries) {
      const table = CLAIMS_PATIENT_TABLES.find((t) => t === e.table_name);
      if (!table || e.action !== 'moved') continue;
      if ((await moveOne(trx, table, step, e.new_id)) > 0) restored.push(e);
      else missing++;
    }
    return { restored, missing };
  },
};
