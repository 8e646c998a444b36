import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import { SCHEDULING_PATIENT_TABLES, listRowIds, moveRows } from './scheduling.repository.js';

type Step = { from: RecordScope; to: RecordScope; encounters: readonly { from: string; to: string }[] };
type JournalEntry = { table_name: string; action: string; old_id: string | null; new_id: string };

/**
 * The scheduling module's part in an MPI merge: a patient's appointments and waitlist entries go to the survivor,
 * journaled by id (ids do not change; the slots they hold are keyed by appointment, not patient). Unmerge puts them back.
 */
export const schedulingMergeParticipant = {
  tables: SCHEDULING_PATIENT_TABLES as readonly string[],

  async merge(trx: Db, step: Step, journal: JournalEntry[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of SCHEDULING_PATIENT_TABLES) {
      const ids = await listRowIds(trx, table, step.from);
      counts[table] = await moveRows(trx, table, step.from, step.to, ids);
      for (const id of ids) journal.push({ table_name: table, action: 'moved', old_id: id, new_id: id });
    }
    return counts;
  },

  async unmerge(trx: Db, step: Step, entries: readonly JournalEntry[]): Promise<{ restored: JournalEntry[]; missing: number }> {
    const restored: JournalEntry[] = [];
    let missing = 0;
    for (const table of SCHEDULING_PATIENT_TABLES) {
      const mine = entries.filter((e) => e.table_name === table && e.action === 'moved');
      const n = await moveRows(
        trx,
        table,
        step.from,
        step.to,
        mine.map((e) => e.new_id),
      );
      restored.push(...mine.slice(0, n));
      missing += mine.length - n;
    }
    return { restored, missing };
  },
};
