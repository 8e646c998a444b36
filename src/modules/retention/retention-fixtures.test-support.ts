/** Test rows of the retention module's tables (not a test file itself), for the MPI merge test. */
import type { Db } from '../../db/database.js';

/** One destruction batch item naming a document of the patient (its certificate line). */
export async function addRetentionRows(db: Db, patientId: string): Promise<void> {
  await db
    .insertInto('destruction_items')
    .values({
      patient_id: patientId,
      id: `dsi-${patientId}`,
      batch_id: 'batch-merge-test',
      document_id: `doc-gone-${patientId}`,
      type_code: 'PN',
      service_at: '2010-01-01T00:00:00.000Z',
      mrn: 'M-1',
      eligible_on: '2015-01-01',
      eligibility: 'test',
      outcome: 'destroyed',
      outcome_reason: null,
      done_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
}
