import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import { moveEncounterRows, QUERIES_PATIENT_TABLES } from './queries.repository.js';

type Step = { from: RecordScope; to: RecordScope; encounters: readonly { from: string; to: string }[] };

/**
 * The queries module's part in an MPI merge (run by src/modules/mpi after the encounters moved): physician queries
 * and the notifications about them belong to an encounter and follow it to the survivor, and back on unmerge. They
 * are found again by their encounter, so they need no journal of their own.
 */
export const queriesMergeParticipant = {
  tables: QUERIES_PATIENT_TABLES,
  async merge(trx: Db, step: Step): Promise<Record<string, number>> {
    await moveEncounterRows(trx, step.from, step.to, step.encounters);
    return {};
  },
  async unmerge(trx: Db, step: Step): Promise<{ restored: never[]; missing: number }> {
    await moveEncounterRows(trx, step.from, step.to, step.encounters);
    return { restored: [], missing: 0 };
  },
};
