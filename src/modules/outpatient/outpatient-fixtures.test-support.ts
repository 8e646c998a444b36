/** Test data for other modules' tests (not a test file itself): a stored outpatient abstract and its version. */
import type { TestDatabase } from '../../../test/support/databases.js';
import { emptyOutpatientAbstract } from './outpatient-abstract.rules.js';

/** A draft outpatient abstract of the encounter, with its first version (for the MPI merge tests). */
export async function addOutpatientRows(db: TestDatabase['db'], patientId: string, encounterId: string, userId: string): Promise<void> {
  const at = '2026-02-20T10:00:00.000Z';
  const data = JSON.stringify({ ...emptyOutpatientAbstract(), firstListedDx: 'S61411A' });
  await db
    .insertInto('outpatient_abstracts')
    .values({
      patient_id: patientId,
      encounter_id: encounterId,
      side: 'facility',
      status: 'draft',
      version: 1,
      data,
      em_code: null,
      coded_by: null,
      coded_at: null,
      updated_by: userId,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('outpatient_abstract_versions')
    .values({
      patient_id: patientId,
      encounter_id: encounterId,
      version: 1,
      kind: 'draft',
      data,
      reason: null,
      saved_by: userId,
      saved_at: at,
    })
    .execute();
}
