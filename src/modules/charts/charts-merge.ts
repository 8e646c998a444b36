import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import * as tracking from './charts.repository.js';
import * as requests from './chart-requests.repository.js';

type Step = { from: RecordScope; to: RecordScope; encounters: readonly { from: string; to: string }[] };
type JournalEntry = { table_name: string; action: string; old_id: string | null; new_id: string };

/** This module's tables of one patient's rows, in the order they move. */
export const CHARTS_PATIENT_TABLES = ['paper_charts', 'chart_movements', 'chart_requests'] as const;
type Table = (typeof CHARTS_PATIENT_TABLES)[number];

const idsOf = (db: Db, table: Table, scope: RecordScope) =>
  table === 'chart_requests' ? requests.listRequestIds(db, scope) : tracking.listRowIds(db, table, scope);
const move = (db: Db, table: Table, from: RecordScope, to: RecordScope, ids: readonly string[]) =>
  table === 'chart_requests' ? requests.moveRequests(db, from, to, ids) : tracking.moveRows(db, table, from, to, ids);

/** Charts and requests of an encounter whose id changed in the merge follow it (only the rows this step moved). */
async function followEncounters(db: Db, step: Step, moved: Map<Table, string[]>): Promise<void> {
  for (const e of step.encounters) {
    if (e.from === e.to) continue;
    await tracking.renameEncounterOfCharts(db, step.to, moved.get('paper_charts') ?? [], e);
    await requests.renameEncounterOfRequests(db, step.to, moved.get('chart_requests') ?? [], e);
  }
}

/**
 * The charts module's part in an MPI merge (run by src/modules/mpi after the encounters moved). A patient's paper
 * charts, their movement history and the requests for the record belong to the patient: all of them go to the
 * survivor, each journaled by id (ids are UUIDv7 made here, so a row keeps its id), and those of an encounter whose id
 * changed follow it. The unmerge puts back every journaled row, with the moves recorded on those charts since.
 * Barcodes do not change: the label on the paper stays right.
 */
export const chartsMergeParticipant = {
  tables: CHARTS_PATIENT_TABLES,

  async merge(trx: Db, step: Step, journal: JournalEntry[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const moved = new Map<Table, string[]>();
    for (const table of CHARTS_PATIENT_TABLES) {
      const ids = await idsOf(trx, table, step.from);
      counts[table] = await move(trx, table, step.from, step.to, ids);
      moved.set(table, ids);
      for (const id of ids) journal.push({ table_name: table, action: 'moved', old_id: id, new_id: id });
    }
    await followEncounters(trx, step, moved);
    return counts;
  },

  async unmerge(trx: Db, step: Step, entries: readonly JournalEntry[]): Promise<{ restored: JournalEntry[]; missing: number }> {
    const restored: JournalEntry[] = [];
    let missing = 0;
    const moved = new Map<Table, string[]>();
    for (const table of CHARTS_PATIENT_TABLES) {
      const mine = entries.filter((e) => e.table_name === table && e.action === 'moved');
      const ids = mine.map((e) => e.new_id);
      // Rows are never deleted here, so every journaled row is found; a count short of it is reported as missing.
      const n = await move(trx, table, step.from, step.to, ids);
      restored.push(...mine.slice(0, n));
      missing += mine.length - n;
      moved.set(table, ids);
      if (table === 'chart_movements') {
        // Moves recorded on a returning chart after the merge go back with it.
        const since = await tracking.movementIdsOfCharts(trx, step.from, moved.get('paper_charts') ?? []);
        await move(trx, table, step.from, step.to, since);
      }
    }
    await followEncounters(trx, step, moved);
    return { restored, missing };
  },
};
