/** Test rows of the amendments module's tables (not a test file itself), for the MPI merge test. */
import type { Db } from '../../db/database.js';

/** One open amendment request of the patient and one person to tell of it. */
export async function addAmendmentRows(db: Db, patientId: string, userId: string): Promise<void> {
  const at = '2026-02-20T10:00:00.000Z';
  const id = `amd-${patientId}`;
  await db
    .insertInto('amendment_requests')
    .values({
      patient_id: patientId,
      id,
      document_ids: '[]',
      information: 'Allergy list',
      requested_change: 'Remove penicillin',
      reason: null,
      received_on: '2026-02-20',
      received_via: 'mail',
      due_on: '2026-04-21',
      extended_due_on: null,
      extension_reason: null,
      extension_notice_on: null,
      extended_by: null,
      status: 'open',
      decided_on: null,
      decided_by: null,
      denial_basis: null,
      denial_explanation: null,
      denial_document_id: null,
      amendment_document_id: null,
      amendment_version: null,
      disagreement_document_id: null,
      disagreement_received_on: null,
      rebuttal_document_id: null,
      created_by: userId,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('amendment_notifications')
    .values({
      patient_id: patientId,
      id: `amn-${patientId}`,
      request_id: id,
      recipient: 'Dr. Lee',
      recipient_kind: 'person',
      identified_by: 'patient',
      notified_on: null,
      notified_by: null,
      created_at: at,
    })
    .execute();
}
