import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import { moveOutpatientRows, OUTPATIENT_PATIENT_TABLES } from './outpatient.repository.js';

type Step = { from: RecordScope; to: RecordScope; encounters: readonly { from: string; to: string }[] };

/**
 * The outpatient module's part in an MPI merge (run by src/modules/mpi after the encounters moved): an outpatient
 * abstract and its versions belong to an encounter and follow it to the survivor, and back on unmerge. They are found
 * again by their encounter, so they need no journal of their own (as the inpatient abstract, src/modules/coding).
 */
export const outpatientMergeParticipant = {
  tables: OUTPATIENT_PATIENT_TABLES as readonly string[],
  async merge(trx: Db, step: Step): Promise<Record<string, number>> {
    await moveOutpatientRows(trx, step.from, step.to, step.encounters);
    return {};
  },
  async unmerge(trx: Db, step: Step): Promise<{ restored: never[]; missing: number }> {
    await moveOutpatientRows(trx, step.from, step.to, step.encounters);
    return { restored: [], missing: 0 };
  },
};
