/** Test rows of the ROI module's tables (not a test file itself), for the MPI merge test. */
import type { Db } from '../../db/database.js';

/** One released request of the patient, its disclosure, its invoice and its mailing. */
export async function addRoiRows(db: Db, patientId: string, userId: string): Promise<void> {
  const at = '2026-02-20T10:00:00.000Z';
  const id = `roi-${patientId}`;
  await db
    .insertInto('roi_requests')
    .values({
      patient_id: patientId,
      id,
      requester_type: 'public_health',
      requester_name: 'State health department',
      requester_address: null,
      identity_verified_by: null,
      received_on: '2026-02-20',
      clock_kind: 'third_party',
      due_on: '2026-03-22',
      extended_due_on: null,
      extension_reason: null,
      extension_notice_on: null,
      asked: '{}',
      purpose: null,
      format: 'pdf',
      delivery: 'secure_download',
      authorization: null,
      authorization_defects: null,
      authorization_document_id: null,
      revoked_on: null,
      facts: '{}',
      selected: '[]',
      redactions: '{}',
      status: 'released',
      closed_on: '2026-02-20',
      denial_ground: null,
      denial_explanation: null,
      packet_sha256: null,
      packet_pages: 1,
      created_by: userId,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('roi_disclosures')
    .values({
      patient_id: patientId,
      id: `rod-${patientId}`,
      request_id: id,
      disclosed_on: '2026-02-20',
      recipient: 'State health department',
      recipient_address: null,
      description: '1 document(s), 1 pages',
      purpose: 'public health reporting',
      basis: 'public_health',
      accountable: 1,
      created_by: userId,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('roi_invoices')
    .values({
      patient_id: patientId,
      id: `roin-${patientId}`,
      request_id: id,
      lines: '[]',
      total_cents: 0,
      paid_cents: 0,
      paid_on: null,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('roi_deliveries')
    .values({
      patient_id: patientId,
      id: `rodl-${patientId}`,
      request_id: id,
      method: 'mail',
      token_sha256: null,
      passcode_hash: null,
      expires_at: null,
      attempts_left: null,
      downloads: 0,
      last_download_at: null,
      delivered_on: '2026-02-20',
      carrier: 'USPS',
      tracking_number: null,
      picked_up_by: null,
      identification_checked: null,
      created_by: userId,
      created_at: at,
    })
    .execute();
}
