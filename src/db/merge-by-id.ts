/**
 * The MPI merge part of a module whose patient rows keep their ids in a merge (release requests, appointments,
 * amendment requests): every row of the merged record goes to the survivor, journaled by id, and the unmerge puts back
 * every journaled row. The module passes its own tables and repository functions (its SQL stays its own).
 */
import type { Db } from './database.js';

type JournalEntry = { table_name: string; action: string; old_id: string | null; new_id: string };

export function idJournaledMergeParticipant<T extends string, Scope>(
  tables: readonly T[],
  listRowIds: (db: Db, table: T, scope: Scope) => Promise<string[]>,
  moveRows: (db: Db, table: T, from: Scope, to: Scope, ids: readonly string[]) => Promise<number>,
) {
  return {
    tables: tables as readonly string[],

    async merge(trx: Db, step: { from: Scope; to: Scope }, journal: JournalEntry[]): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for (const table of tables) {
        const ids = await listRowIds(trx, table, step.from);
        counts[table] = await moveRows(trx, table, step.from, step.to, ids);
        for (const id of ids) journal.push({ table_name: table, action: 'moved', old_id: id, new_id: id });
      }
      return counts;
    },

    async unmerge(
      trx: Db,
      step: { from: Scope; to: Scope },
      entries: readonly JournalEntry[],
    ): Promise<{ restored: JournalEntry[]; missing: number }> {
      const restored: JournalEntry[] = [];
      let missing = 0;
      for (const table of tables) {
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
}
